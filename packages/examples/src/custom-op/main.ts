// pnpm --filter @tensorgrad/examples run example:custom-op [-- --runs N]
import { proveSoftsign } from './prove-gradient.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 100;
console.log(`softsign: checking its VJP against finite differences on ${runs} random tensors (orders 1 and 2)...`);
const report = proveSoftsign(runs);
console.log(`  ${report.comparisons} gradient entries compared, max abs error ${report.maxAbsError.toExponential(2)}`);
console.log(`  a deliberately wrong gradient was ${report.wrongVjpCaught ? 'caught' : 'NOT caught'}`);
console.log(JSON.stringify({ example: 'custom-op', ...report }));
if (!report.wrongVjpCaught) process.exit(1);
