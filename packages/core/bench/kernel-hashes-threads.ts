// kernel-hashes.ts run with n threads (default 2; same process, same module instances), then
// threads off: the hashes must equal the 1-thread ones. From packages/core:
//   npx tsx --conditions=@tensorgrad/source bench/kernel-hashes-threads.ts [threads=2]
import { setNumThreads } from '../src/index.js';
await setNumThreads(Number(process.argv[2] ?? 2));
process.argv = process.argv.filter((a, i) => i < 2 || a.startsWith('--'));
try {
  await import('./kernel-hashes.js');
} finally {
  await setNumThreads(1);
}
