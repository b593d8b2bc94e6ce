// The registry-wide gradient check: every registered op, on random valid inputs from its own
// arbitraries, has its VJP (and second-order VJP) compared with central finite differences.
// TENSORGRAD_TEST_BACKEND=<path of a module exporting `backend`> runs it with that backend
// standing in for the CPU backend (withBackend): how a new backend is checked op by op.
import { expect } from 'chai';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import '../index.js';
import type { Backend } from '../backend/backend.js';
import { withBackend } from '../backend/index.js';
import { listOps } from './registry.js';
import { checkRegisteredOp } from '../testing/check-op.js';

const backendModule = process.env['TENSORGRAD_TEST_BACKEND'];

describe(`registry: every op has a checked gradient${backendModule ? ` (backend from ${backendModule})` : ''}`, () => {
  const ops = listOps();
  let backend: Backend | null = null;
  before(async () => {
    if (backendModule) backend = ((await import(pathToFileURL(resolve(backendModule)).href)) as { backend: Backend }).backend;
  });
  it('registers ops', () => {
    expect(ops.length).to.be.greaterThan(10);
  });
  for (const def of ops) {
    it(`${def.name}: VJP matches finite differences (order ${def.gradCheck.order ?? 2})`, () => {
      if (backend) withBackend(backend, () => checkRegisteredOp(def));
      else checkRegisteredOp(def);
    });
  }
});
