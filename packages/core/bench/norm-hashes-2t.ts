// kernel-hashes.ts run with 2 threads (same process, same module instances), then threads off.
import { setNumThreads } from '../src/index.js';
await setNumThreads(Number(process.argv[2] ?? 2));
process.argv = process.argv.filter((a, i) => i < 2 || a.startsWith('--'));
try {
  await import('./kernel-hashes.js');
} finally {
  await setNumThreads(1);
}
