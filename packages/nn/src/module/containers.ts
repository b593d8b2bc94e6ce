import { ArgumentError, type Tensor } from '@tensorgrad/core';
import { Module } from './module.js';

type AnyModule = Module<any, any>;

/** Modules kept in order under the names '0', '1', ... (PyTorch's ModuleList). */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<never[], never> {
  readonly #items: M[];

  constructor(modules: Iterable<M> = []) {
    super();
    this.#items = [...modules];
    this.#items.forEach((m, i) => assertModule('ModuleList', i, m));
  }

  protected override members(): Iterable<[string, unknown]> {
    return this.#items.map((m, i): [string, unknown] => [String(i), m]);
  }

  /** Number of modules. */
  get length(): number {
    return this.#items.length;
  }

  /** The i-th module (negative i counts from the end). */
  at(i: number): M {
    const m = this.#items.at(i);
    if (m === undefined) throw new ArgumentError(`${this.constructor.name}.at: index ${i} is out of range for ${this.#items.length} module(s)`);
    return m;
  }

  /** Appends modules (named by their positions, continuing the numbering); returns this. */
  push(...modules: M[]): this {
    modules.forEach((m, i) => assertModule(this.constructor.name, this.#items.length + i, m));
    this.#items.push(...modules);
    return this;
  }

  /** The modules in order (`for (const m of list)`). */
  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }

  forward(): never {
    throw new ArgumentError(`${this.constructor.name}: a ModuleList has no forward; call its modules`);
  }
}

/** Applies its modules one after another; children are named '0', '1', ... (PyTorch's Sequential). */
export class Sequential extends Module {
  readonly #items: Module[];

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => assertModule('Sequential', i, m));
    this.#items = modules;
  }

  protected override members(): Iterable<[string, unknown]> {
    return this.#items.map((m, i): [string, unknown] => [String(i), m]);
  }

  /** Number of modules. */
  get length(): number {
    return this.#items.length;
  }

  /** The i-th module (negative i counts from the end); throws when out of range. */
  at(i: number): Module {
    const m = this.#items.at(i);
    if (m === undefined) throw new ArgumentError(`Sequential.at: index ${i} is out of range for ${this.#items.length} module(s)`);
    return m;
  }

  /** The modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.#items[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (let i = 0; i < this.#items.length; i++) {
      const m = this.#items[i]!;
      const next = this.#items[i + 1];
      // A module and the next as one op where the module has a fused form for it (Module.invokeWithNext).
      const fused = next === undefined ? undefined : m.invokeWithNext(next, h);
      if (fused === undefined) h = m.invoke(h);
      else {
        h = fused as Tensor;
        i++;
      }
    }
    return h;
  }
}

/** Modules under string keys, in insertion order (PyTorch's ModuleDict). */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<never[], never> {
  readonly #items = new Map<string, M>();

  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    const entries = Symbol.iterator in modules ? [...(modules as Iterable<[string, M]>)] : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }

  protected override members(): Iterable<[string, unknown]> {
    return this.#items.entries();
  }

  /** Number of modules. */
  get size(): number {
    return this.#items.size;
  }

  /** Whether a module is stored under key. */
  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** The module under key; throws (listing the keys) when there is none. */
  get(key: string): M {
    const m = this.#items.get(key);
    if (m === undefined) throw new ArgumentError(`ModuleDict.get: no module under key '${key}' (keys: ${[...this.#items.keys()].join(', ')})`);
    return m;
  }

  /** Stores m under key (non-empty, no '.'), replacing any module there; returns this. */
  set(key: string, m: M): this {
    if (key === '' || key.includes('.')) throw new ArgumentError(`ModuleDict.set: key must be non-empty and contain no '.', got '${key}'`);
    assertModule('ModuleDict', key, m);
    this.#items.set(key, m);
    return this;
  }

  /** The keys in insertion order. */
  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  /** [key, module] pairs in insertion order. */
  entries(): IterableIterator<[string, M]> {
    return this.#items.entries();
  }

  forward(): never {
    throw new ArgumentError('ModuleDict: a ModuleDict has no forward; call its modules');
  }
}

function assertModule(where: string, key: number | string, m: unknown): void {
  if (!(m instanceof Module)) throw new ArgumentError(`${where}: entry ${key} must be a Module, got ${m === null ? 'null' : typeof m}`);
}
