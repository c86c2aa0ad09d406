// Writes prod-quiet.json: 14 days of hourly metrics of a prod stack that carries a fraction of the
// load it was sized for (a daily cycle, the database and cache mostly idle), for trying
// `npm run rightsize -- --metrics tools/rightsize/examples/prod-quiet.json` without an AWS account.
//
//   npx tsx tools/rightsize/examples/make-example.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METRICS_FORMAT, METRICS_VERSION } from '../metrics-file';

const HOURS = 14 * 24;
const start = Date.UTC(2026, 10, 12);
/** A daily cycle between `low` and `high`, busiest at 14:00 UTC. */
const daily = (low: number, high: number) =>
  Array.from({ length: HOURS }, (_, h) => {
    const phase = Math.cos(((h % 24) - 14) * (Math.PI / 12));
    return Math.round((low + ((high - low) * (1 + phase)) / 2) * 100) / 100;
  });
const constant = (v: number) => Array.from({ length: HOURS }, () => v);
const GIB = 1024 ** 3;

const file = {
  format: METRICS_FORMAT,
  version: METRICS_VERSION,
  profile: 'prod',
  start: new Date(start).toISOString(),
  end: new Date(start + HOURS * 3_600_000).toISOString(),
  periodSeconds: 3600,
  components: ['web', 'database', 'cache', 'worker'],
  series: Object.fromEntries(
    Object.entries({
      'web.cpu': daily(6, 14),
      'web.memory': daily(18, 22),
      'web.tasks': constant(3),
      'web.requests': daily(20_000, 90_000),
      'web.latency': daily(0.05, 0.09),
      'database.cpu': daily(4, 11),
      'database.freeableMemory': daily(13.5 * GIB, 14 * GIB),
      'database.connections': daily(25, 60),
      'database.readIops': daily(50, 300),
      'database.writeIops': daily(20, 120),
      'cache.cpu': daily(2, 6),
      'cache.memory': daily(8, 9),
      'cache.evictions': constant(0),
      'worker.duration': daily(400, 1800),
      'worker.durationAverage': daily(120, 250),
      'worker.invocations': daily(300, 1500),
      'worker.concurrency': daily(1, 4),
      'worker.throttles': constant(0),
      'worker.queueAge': daily(1, 6),
    }).map(([key, values]) => [key, { start: new Date(start).toISOString(), values }]),
  ),
};
fs.writeFileSync(path.join(__dirname, 'prod-quiet.json'), `${JSON.stringify(file)}\n`);
