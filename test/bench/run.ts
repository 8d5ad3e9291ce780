import { eventStoreBenchmark } from './event-store.bench';
import { printTable, writeResults } from './harness';
import { vervalBenchmark } from './verval.bench';

/** `npm run bench`: every benchmark, a table each, JSON under bench-results/. */
async function main(): Promise<void> {
  const rows = await eventStoreBenchmark();
  printTable('Event store (PostgreSQL adapter, fsync on): appends vs the raw INSERT limit; catch-up reads', rows);
  process.stdout.write(`results: ${writeResults('event-store', rows)}\n`);
  const verval = await vervalBenchmark();
  printTable('Verval (registration), fsync on: decide, register, batch decisions', verval);
  process.stdout.write(`results: ${writeResults('verval', verval)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
