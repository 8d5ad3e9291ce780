import { Client } from 'pg';
import { BenchRow, benchDatabase, round, runCli } from './harness';

const HOUSEHOLDS = Number(process.env.BENCH_POPULATION_HOUSEHOLDS ?? 20_000);
/** A database that already holds a population (e.g. a million households made with `population:generate`): only rebuild. */
const EXISTING = process.env.BENCH_POPULATION_DATABASE_URL;
const REBUILT = ['registration-cases', 'status-check'];

/**
 * The synthetic population through the CLI, as an operator runs it: HOUSEHOLDS households written
 * through the batch append path, the projections catching up, then full rebuilds of two read
 * models from the whole log — events/s and each process's peak memory.
 */
export async function populationBenchmark(): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  if (EXISTING) {
    const events = await countEvents(EXISTING);
    return { rows: await rebuilds(EXISTING, events), extra: { households: 'existing', events } };
  }
  const server = await benchDatabase('population');
  const { url } = server;
  try {
    const generated = await runCli(url, [
      'population:generate',
      '-n',
      String(HOUSEHOLDS),
      '--seed',
      '7',
      '--today',
      '2026-11-24',
    ]);
    const written = /written: (\d+) rumah tangga\/households, (\d+) events in ([\d.]+) s/.exec(generated.stdout);
    const caughtUp = /Read models up to date \(([\d.]+) s\)/.exec(generated.stdout);
    if (!written || !caughtUp) throw new Error(`population:generate: ${generated.stdout.slice(-2000)}`);
    const [households, events, writeSeconds] = [Number(written[1]), Number(written[2]), Number(written[3])];
    const total = await countEvents(url);
    const rows: BenchRow[] = [
      {
        benchmark: 'population:generate (CLI)',
        variant: 'batch append, 250 households per atomic append',
        operations: events,
        seconds: writeSeconds,
        perSecond: Math.round(events / writeSeconds),
        note: `${households} households, ${Math.round(households / writeSeconds)}/s; CLI peak RSS ${generated.peakRssMb} MB`,
      },
      {
        benchmark: 'projections catching up',
        variant: 'every read model, from the first event',
        operations: total,
        seconds: Number(caughtUp[1]),
        perSecond: Math.round(total / Number(caughtUp[1])),
        note: 'the events of all projections counted once',
      },
      ...(await rebuilds(url, total)),
    ];
    return { rows, extra: { households, events: total } };
  } finally {
    await server.stop();
  }
}

/** Full rebuilds from the whole log, timed from the CLI's start to its exit. */
async function rebuilds(url: string, events: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const projection of REBUILT) {
    const started = Date.now();
    const rebuilt = await runCli(url, ['projections:rebuild', projection]);
    const seconds = (Date.now() - started) / 1000;
    rows.push({
      benchmark: 'projection rebuild (CLI, shadow tables, swap)',
      variant: projection,
      operations: events,
      seconds: round(seconds),
      perSecond: Math.round(events / seconds),
      note: `peak RSS ${rebuilt.peakRssMb} MB (process start included); rate over every event in the log`,
    });
  }
  return rows;
}

async function countEvents(url: string): Promise<number> {
  const db = new Client(url);
  await db.connect();
  const total = Number((await db.query('select count(*) as n from es_events')).rows[0].n);
  await db.end();
  return total;
}
