import { commandsBenchmark } from './commands.bench';
import { erasureBenchmark } from './erasure.bench';
import { eventStoreBenchmark } from './event-store.bench';
import { integrityBenchmark } from './integrity.bench';
import { printTable, writeResults } from './harness';
import { populationBenchmark } from './population.bench';
import { sessionsBenchmark } from './sessions.bench';
import { statusCheckBenchmark } from './status-check.bench';
import { tabularBenchmark } from './tabular.bench';
import { vervalBenchmark } from './verval.bench';

/** `BENCH_ONLY=status-check npm run bench` runs the named benchmarks only. */
const ONLY = process.env.BENCH_ONLY?.split(',');
const wanted = (name: string): boolean => !ONLY || ONLY.includes(name);

/** `npm run bench`: every benchmark, a table each, JSON under bench-results/. */
async function main(): Promise<void> {
  if (wanted('event-store')) {
    const rows = await eventStoreBenchmark();
    printTable(
      'Event store (PostgreSQL adapter, fsync on): appends in events/s, medians of interleaved rounds, vs the raw INSERT limit and Emmett; catch-up reads',
      rows,
    );
    process.stdout.write(`results: ${writeResults('event-store', rows)}\n`);
  }
  if (wanted('verval')) {
    const verval = await vervalBenchmark();
    printTable('Verval (registration), fsync on: decide, register, batch decisions', verval);
    process.stdout.write(`results: ${writeResults('verval', verval)}\n`);
  }
  if (wanted('commands')) {
    const { rows, extra } = await commandsBenchmark();
    printTable('Registration commands over HTTP at fixed rates, with the projection lag (app in its own process)', rows);
    process.stdout.write(`submits answered, by the stage they reached: ${JSON.stringify(extra.submitted)}\n`);
    process.stdout.write(`results: ${writeResults('commands', rows, extra)}\n`);
  }
  if (wanted('population')) {
    const { rows, extra } = await populationBenchmark();
    printTable(`Synthetic population, projections and rebuilds (${extra.households} households, ${extra.events} events)`, rows);
    process.stdout.write(`results: ${writeResults('population', rows, extra)}\n`);
  }
  if (wanted('tabular')) {
    const { rows, extra } = await tabularBenchmark();
    printTable(`Bulk import and export (${extra.rowsPerExtract} persons per extract, ${extra.households} households)`, rows);
    process.stdout.write(`results: ${writeResults('tabular', rows, extra)}\n`);
  }
  if (wanted('erasure')) {
    const { rows, extra } = await erasureBenchmark();
    printTable('What erasure costs: encrypted documents, the keyed status-check name, one household erased', rows);
    process.stdout.write(`results: ${writeResults('erasure', rows, extra)}\n`);
  }
  if (wanted('status-check')) {
    const { rows, extra } = await statusCheckBenchmark();
    printTable(`Cek Bansos and the work queue over HTTP (${extra.households} households, app in its own process)`, rows);
    process.stdout.write(`app peak RSS ${extra.appPeakRssMb} MB; read model loaded in ${extra.loadSeconds} s\n`);
    process.stdout.write(`results: ${writeResults('status-check', rows, extra)}\n`);
  }
  if (wanted('sessions')) {
    const { rows, extra } = await sessionsBenchmark();
    printTable('Sign-in sessions: authenticating a request with and without the session-row check', rows);
    process.stdout.write(`${JSON.stringify(extra)}\nresults: ${writeResults('sessions', rows, extra)}\n`);
  }
  if (wanted('integrity')) {
    const { rows, extra } = await integrityBenchmark();
    printTable('Tamper evidence: MAC cost per event and per append (interleaved rounds), sealing, verification', rows);
    process.stdout.write(`${JSON.stringify(extra)}\nresults: ${writeResults('integrity', rows, extra)}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
