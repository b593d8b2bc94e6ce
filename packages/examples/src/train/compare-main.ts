// pnpm compare:runs -- DIR_A DIR_B: the per-step losses of two runs of the training job (each
// directory's checkpoint.safetensors), side by side, with their relative differences: e.g. a
// --device webgpu run against the CPU run of the same options.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareCurves, stepLossesOf } from './compare.js';

const dirs = process.argv.slice(2).filter((a) => a !== '--');
if (dirs.length !== 2 || dirs.some((d) => d.startsWith('-'))) {
  console.error('usage: pnpm compare:runs -- DIR_A DIR_B   (two --out directories of the training job; A is the reference)');
  process.exit(2);
}
const [a, b] = dirs.map((d) => stepLossesOf(readFileSync(join(d, 'checkpoint.safetensors'))));
const c = compareCurves(a!, b!);
console.log(`step  ${dirs[0]!.padEnd(22)}  ${dirs[1]!.padEnd(22)}  relative difference`);
for (let i = 0; i < c.steps; i++) console.log(`${String(i + 1).padStart(4)}  ${a![i]!.toFixed(7).padEnd(22)}  ${b![i]!.toFixed(7).padEnd(22)}  ${c.relative[i]!.toExponential(2)}`);
if (a!.length !== b!.length) console.log(`(the runs have ${a!.length} and ${b!.length} steps; compared the first ${c.steps})`);
console.log(`largest relative difference ${c.maxRelative.toExponential(2)} at step ${c.worstStep} of ${c.steps}`);
