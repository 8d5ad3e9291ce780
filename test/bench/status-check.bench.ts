import { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { readIdnAreaData } from '../../src/reference/idn-area-data';
import { nameKeyFor } from '../../src/status-check/name-key';
import { maskName } from '../../src/status-check/masking';
import { generatePopulation } from '../../src/synthetic/population';
import { BenchRow, peakRssMb, benchDatabase, round } from './harness';
import { BenchRequest, LoadClient, signIn, startBenchApp, stopBenchApp } from './http-load';

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 1_000_000);
const RATE = Number(process.env.BENCH_STATUS_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_STATUS_SECONDS ?? 30);
const WARM_UP_SECONDS = 5;
const QUEUE_RATE = 50;
const QUEUE_SECONDS = 10;
const PORT = 3900 + (process.pid % 90);
const BATCH = 20_000;

/**
 * Cek Bansos at national scale: a seeded population of HOUSEHOLDS households (about four persons
 * each, real village codes, valid NIKs) in the status-check read model, and the check served over
 * HTTP by the app (its own process) at RATE requests/s for SECONDS, each with a freshly solved
 * captcha, so verification and spending are included. Then a regency's work-queue page.
 */
export async function statusCheckBenchmark(): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const server = await benchDatabase('status');
  const { url, dataDir } = server;
  let app: ChildProcess | undefined;
  const client = new LoadClient();
  try {
    const base = `http://127.0.0.1:${PORT}`;
    app = await startBenchApp(url, dataDir, PORT, {
      // Known to the loader too: the status check's name keys are keyed hashes (HMAC) under it.
      KEY_ENCRYPTION_KEY: BENCH_KEK.toString('base64'),
      CAPTCHA_MAX_NUMBER: '1000',
      STATUS_CHECK_PER_CLIENT_PER_MINUTE: '1000000',
      STATUS_CHECK_PER_NAME_PER_HOUR: '1000000',
    });
    const db = new Client(url);
    await db.connect();
    const loaded = await loadPopulation(db).finally(() => db.end());
    const token = await signIn(base, 'dinsos');
    const captchas = await solvedCaptchas(base, RATE * (SECONDS + WARM_UP_SECONDS) + 200);
    const checks: BenchRequest[] = captchas.map((captcha, i) => ({
      method: 'POST',
      path: '/api/v1/cek-bansos',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...loaded.queries[i % loaded.queries.length], captcha }),
    }));
    const warmUp = RATE * WARM_UP_SECONDS;
    await client.run({ base, rate: RATE, seconds: WARM_UP_SECONDS, requests: checks.slice(0, warmUp) }); // JIT and pools warm, not measured
    const check = await client.run({ base, rate: RATE, seconds: SECONDS, requests: checks.slice(warmUp) });
    // The reference: the HTTP floor of this machine, a read that touches no database, at the same rate.
    const floor = await client.run({
      base,
      rate: RATE,
      seconds: SECONDS,
      requests: [{ method: 'GET', path: '/api/v1/regions', headers: {} }],
    });
    const queue = await client.run({
      base,
      rate: QUEUE_RATE,
      seconds: QUEUE_SECONDS,
      requests: [{ method: 'GET', path: '/api/v1/work-queue?pageSize=50', headers: { authorization: `Bearer ${token}` } }],
    });
    const rss = peakRssMb(app.pid!);
    const rows: BenchRow[] = [
      {
        benchmark: 'status check (HTTP, captcha verified and spent)',
        variant: `${loaded.persons} persons`,
        ...check.row,
        note: check.note,
      },
      { benchmark: 'reference: HTTP floor (GET /api/v1/regions)', variant: 'no database', ...floor.row, note: floor.note },
      {
        benchmark: 'work queue page (HTTP, dinsos, regency 32.04)',
        variant: `${loaded.queueItems} open cases`,
        ...queue.row,
        note: queue.note,
      },
    ];
    return {
      rows,
      extra: {
        households: HOUSEHOLDS,
        persons: loaded.persons,
        loadSeconds: loaded.seconds,
        appPeakRssMb: rss,
        goals: { statusCheckP99Ms: 20, queueP99Ms: 50 },
      },
    };
  } finally {
    await client.close();
    await stopBenchApp(app);
    await server.stop();
  }
}

const BENCH_KEK = randomBytes(32);
const nameKey = nameKeyFor(BENCH_KEK);

/** Straight into the read models (the projection is measured elsewhere): persons, and open cases for the queues. */
async function loadPopulation(db: Client): Promise<{ persons: number; queueItems: number; seconds: number; queries: object[] }> {
  const started = Date.now();
  const villages = readIdnAreaData()
    .filter((r) => r.level === 'desa')
    .map((r) => r.code);
  await db.query('drop index status_check_lookup; drop index work_items_queue');
  const queries: object[] = [];
  let persons = 0;
  let queueItems = 0;
  let rows: string[][] = [[], [], [], [], [], []];
  let items: string[][] = [[], []];
  const flush = async () => {
    await db.query(
      `insert into status_check (person_key, subject_id, source, member_index, village_code, name_key, masked_name, active, programs, updated_at)
       select k, s::uuid, 'household', i::int, v, n, m, true, p::jsonb, now() from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) as t(k, s, i, v, n, m, p)`,
      [
        rows[0],
        rows[1],
        rows[2],
        rows[3],
        rows[4],
        rows[5],
        rows[0].map((_, j) => (j % 3 === 0 ? '[{"program":"PKH","period":"2026-Q4"}]' : '[]')),
      ],
    );
    if (items[0].length)
      await db.query(
        `insert into work_items (case_type, case_id, stage, village_code, awaiting_roles, open, opened_at, stage_since, due_on)
         select 'registration', c::uuid, 'MENUNGGU_KABUPATEN', v, '{dinsos}', true, now(), now(), current_date + (random() * 20)::int - 5
         from unnest($1::text[], $2::text[]) as t(c, v)`,
        items,
      );
    persons += rows[0].length;
    queueItems += items[0].length;
    rows = [[], [], [], [], [], []];
    items = [[], []];
  };
  let n = 0;
  for (const h of generatePopulation({
    seed: 2026,
    households: HOUSEHOLDS,
    villageCodes: villages,
    today: new Date().toISOString().slice(0, 10),
  })) {
    h.members.forEach((m, i) => {
      rows[0].push(`${h.householdId}:${i}`);
      rows[1].push(h.householdId);
      rows[2].push(String(i));
      rows[3].push(h.villageCode);
      rows[4].push(nameKey(m.fullName));
      rows[5].push(maskName(m.fullName));
    });
    if (n % 3 === 0) {
      items[0].push(h.householdId);
      items[1].push(h.villageCode);
    }
    if (n % 50 === 0 && queries.length < 20_000) queries.push({ villageCode: h.villageCode, name: h.members[0].fullName });
    if (n % 500 === 0 && queries.length < 20_000) queries.push({ villageCode: h.villageCode, name: 'TIDAK ADA NAMA INI' });
    if (rows[0].length >= BATCH) await flush();
    n++;
  }
  await flush();
  await db.query('create index status_check_lookup on status_check (village_code, name_key)');
  await db.query(`create index work_items_queue on work_items (village_code text_pattern_ops, due_on) where open`);
  // Settle what the bulk load left to do (vacuum, the checkpoint of its WAL), so it does not run during the measurement.
  await db.query('vacuum (analyze) status_check, work_items');
  await db.query('checkpoint');
  return { persons, queueItems, seconds: round((Date.now() - started) / 1000), queries: shuffle(queries) };
}

/** The browser's part, done ahead: fetch challenges and find each number (sha256(salt + n) = challenge). */
async function solvedCaptchas(base: string, count: number): Promise<string[]> {
  const solved: string[] = [];
  while (solved.length < count) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - solved.length) }, () =>
        fetch(`${base}/api/v1/cek-bansos/captcha`).then((r) => r.json()),
      ),
    );
    for (const c of batch as Array<{ challenge: string; salt: string; maxnumber: number }>) {
      let number = 0;
      while (
        createHash('sha256')
          .update(c.salt + number)
          .digest('hex') !== c.challenge
      )
        number++;
      solved.push(Buffer.from(JSON.stringify({ ...c, number })).toString('base64'));
    }
  }
  return solved;
}

function shuffle<T>(items: T[]): T[] {
  let seed = 42;
  for (let i = items.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
