// The opt-in fast mode: float32 GEMMs (conv2d, linear, matmul, forward and backward) run the
// relaxed-SIMD build of the wasm module, whose micro-kernel uses fused multiply-add. It rounds
// differently from the default kernel, and whether it fuses depends on the hardware, so the
// deterministic default never uses it.
import { ArgumentError } from '../../errors.js';
import { fusedGemmSelected, gemmThreads, installWasmRuntime, setFusedGemm } from './wasm/runtime.js';
import { relaxedSimdAvailable } from './wasm/relaxed-simd.js';
import { enableWasmGemmThreads } from './wasm/threads.js';

/**
 * Switches float32 GEMMs to a fused multiply-add kernel (WebAssembly relaxed SIMD): faster, but
 * **results change in their last bits** (one rounding per multiply-add where the CPU fuses, so they
 * also depend on the machine). `setFastMath(false)` restores the default, bit-exact kernel. Resolves
 * false, leaving the default, where relaxed SIMD is unavailable (Node 20 without
 * `--experimental-wasm-relaxed-simd`; browsers without it). Keeps the thread count (workers are
 * restarted on the chosen kernel); views from earlier wasmScratch calls become invalid.
 */
export async function setFastMath(enabled: boolean): Promise<boolean> {
  if (typeof enabled !== 'boolean') {
    throw new ArgumentError(`setFastMath: enabled must be true or false, got ${typeof enabled === 'number' ? enabled : typeof enabled}`);
  }
  if (enabled && !relaxedSimdAvailable()) return false;
  if (enabled === fusedGemmSelected()) return true;
  const threads = gemmThreads();
  setFusedGemm(enabled);
  if (threads <= 1) {
    installWasmRuntime(null); // the next use creates the runtime from the chosen build
    return true;
  }
  let restarted: boolean;
  try {
    restarted = await enableWasmGemmThreads(threads);
  } catch (error) {
    setFusedGemm(!enabled); // a worker failed to start: enableWasmGemmThreads left one thread
    throw error;
  }
  if (!restarted) {
    // The shared-memory relaxed build did not compile: back to the kernel and threads before.
    setFusedGemm(!enabled);
    await enableWasmGemmThreads(threads);
  }
  return restarted;
}

/** Whether float32 GEMMs run the fused multiply-add kernel (setFastMath(true) succeeded). */
export function fastMath(): boolean {
  return fusedGemmSelected();
}
