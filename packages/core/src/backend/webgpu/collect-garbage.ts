// A way to ask for a full garbage collection, for the buffer pool (buffer-pool.ts). GPU buffers
// are invisible to V8's heap accounting: a tensor dropped without release() holds a GPU buffer
// that comes back only when the GC finalizes its array, and the few small JS objects of a training
// step almost never make V8 run a full collection on its own (its young-generation scavenges keep
// FinalizationRegistry targets alive). Without a collection the pool creates new buffers every step
// (about 3 MB a step for a small CNN; gigabytes over a long run). With one, requested by the pool
// after each batch of newly created bytes, a training loop's GPU memory stays flat.
// Node: global.gc under --expose-gc, else the same function taken from a fresh context with the
// flag set for that moment (what Jest's leak detector does). Browsers expose no way to collect:
// there GPU memory of dropped tensors waits for the engine's own collections.

/** A synchronous full collection, or null where the platform offers none. */
export function platformCollector(): (() => void) | null {
  const g = globalThis as { gc?: unknown; process?: { getBuiltinModule?: (id: string) => unknown } };
  if (typeof g.gc === 'function') return g.gc as () => void;
  // process.getBuiltinModule (Node >= 20.16, 22.3): no import, so browser bundles stay free of node: modules.
  const builtin = g.process?.getBuiltinModule;
  if (typeof builtin !== 'function') return null;
  try {
    const v8 = builtin('node:v8') as { setFlagsFromString(flags: string): void };
    const vm = builtin('node:vm') as { runInNewContext(code: string): unknown };
    v8.setFlagsFromString('--expose-gc');
    try {
      const gc = vm.runInNewContext('gc');
      return typeof gc === 'function' ? (gc as () => void) : null;
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  } catch {
    return null;
  }
}
