import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import { createProjections } from '../../projections';
import { TEST_KEK } from './database';
import { Acknowledged } from './write-load';

const ROOT = path.resolve(__dirname, '../..');

/** A CPU-bound process beside the test, as on a busy shared machine. Kill it when done. */
export function startBusyLoop(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

/** Every table a projection owns (all read models, whatever is added later), from the code. */
export function readModelTables(): string[] {
  // Table names only: the status check's name key is never called here.
  return createProjections({ nameKey: (name) => name }).flatMap((p) => (p.issuesCommands ? [] : [...p.tables]));
}

/** Every read model's rows, each table's rows in a canonical order (sorted by their JSON). */
export async function readModelSnapshot(url: string): Promise<Record<string, string[]>> {
  const c = new Client(url);
  await c.connect();
  try {
    const out: Record<string, string[]> = {};
    for (const table of readModelTables()) {
      const { rows } = await c.query(`select * from ${table}`);
      out[table] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return out;
  } finally {
    await c.end();
  }
}

/**
 * The project's CLI in its own process. Asynchronous on purpose: a blocked event loop (spawnSync)
 * misses the app closing idle keep-alive sockets, and the next fetch then fails on a dead one.
 */
function cli(url: string, args: string[]): Promise<{ status: number | null; output: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, KEY_ENCRYPTION_KEY: TEST_KEK.toString('base64'), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, output })));
}

/** Rebuilds every projection from position 0 (shadow tables, then swap) with the project's CLI. */
export async function rebuildAllProjections(url: string): Promise<void> {
  const run = await cli(url, ['projections:rebuild', 'all']);
  if (run.status !== 0) throw new Error(`projections:rebuild all failed (${run.status}):\n${run.output.slice(-3000)}`);
}

/** The project's chain verification over every stream: exit code 0 means every chain verifies. */
export async function verifyChains(url: string): Promise<{ ok: boolean; output: string }> {
  const run = await cli(url, ['events:verify']);
  return { ok: run.status === 0, output: run.output.slice(-3000) };
}

/**
 * Every live read model equals a rebuild from the first event. The caller has stopped writing
 * and waited until the projections caught up; the live tables are read first, then rebuilt.
 */
export async function expectReadModelsEqualRebuild(url: string): Promise<Record<string, string[]>> {
  const live = await readModelSnapshot(url);
  await rebuildAllProjections(url);
  const rebuilt = await readModelSnapshot(url);
  for (const table of Object.keys(live)) {
    const missing = rebuilt[table].filter((r) => !live[table].includes(r));
    const extra = live[table].filter((r) => !rebuilt[table].includes(r));
    if (missing.length || extra.length)
      throw new Error(
        `read model ${table} differs from its rebuild: ${missing.length} rows only in the rebuild, ` +
          `${extra.length} only in the live table\nrebuild: ${missing.slice(0, 3).join('\n')}\nlive: ${extra.slice(0, 3).join('\n')}`,
      );
  }
  return live;
}

type HealthBody = { status: string; database?: { status: string }; projections?: Array<{ lagEvents: number }> };

export async function healthOf(base: string): Promise<{ httpStatus: number; body: HealthBody } | undefined> {
  try {
    const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
    return { httpStatus: res.status, body: (await res.json()) as HealthBody };
  } catch {
    return undefined;
  }
}

/** Polls until `ok`, or throws at the deadline with the last thing seen. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  deadlineMs: number,
  everyMs = 200,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Every projection has processed every event (lag 0). */
export function caughtUp(base: string, deadlineMs = 120_000): Promise<HealthBody> {
  return waitUntil(
    'the projections catching up',
    async () => {
      const h = await healthOf(base);
      const projections = h?.body.projections ?? [];
      return h?.httpStatus === 200 && projections.length && projections.every((p) => p.lagEvents === 0) ? h.body : undefined;
    },
    deadlineMs,
    250,
  );
}

/**
 * What the event log must show after a crash, whatever moment it hit:
 * - every answered draft's event is there exactly once, and every answered submit's events;
 * - no write is half there: a case's submit (its RegistrationSubmitted, AutomaticChecksPassed and
 *   one NikClaimed per member, across streams, in one append) is either wholly present or absent;
 * - no stream has a gap in its versions.
 */
export async function expectCompleteEventLog(url: string, ack: Acknowledged): Promise<void> {
  const c = new Client(url);
  await c.connect();
  try {
    const count = async (sql: string): Promise<Map<string, number>> =>
      new Map((await c.query<{ k: string; n: number }>(sql)).rows.map((r) => [r.k, r.n]));
    const drafted = await count(
      `select stream_id as k, count(*)::int as n from es_events where type = 'RegistrationDraftSaved' group by 1`,
    );
    const submitted = await count(
      `select stream_id as k, count(*)::int as n from es_events where type = 'RegistrationSubmitted' group by 1`,
    );
    const checked = await count(
      `select stream_id as k, count(*)::int as n from es_events where type = 'AutomaticChecksPassed' group by 1`,
    );
    const claims = await count(
      `select data::jsonb->>'holder' as k, count(*)::int as n from es_events where stream_id like 'nikclaim-%' and type = 'NikClaimed' group by 1`,
    );
    const problems: string[] = [];
    for (const caseId of ack.drafts.keys())
      if (drafted.get(`registration-${caseId}`) !== 1)
        problems.push(`answered draft ${caseId}: ${drafted.get(`registration-${caseId}`) ?? 0} drafts`);
    for (const caseId of ack.submits)
      if (!submitted.has(`registration-${caseId}`)) problems.push(`answered submit ${caseId} missing`);
    for (const [stream, n] of submitted) {
      const size = ack.drafts.get(stream.slice('registration-'.length));
      if (size === undefined) problems.push(`submitted ${stream} whose draft was never answered`);
      if (n !== 1 || checked.get(stream) !== 1 || claims.get(stream) !== size)
        problems.push(
          `${stream}: submitted ${n}, checks ${checked.get(stream) ?? 0}, claims ${claims.get(stream) ?? 0} of ${size}`,
        );
    }
    for (const holder of claims.keys()) if (!submitted.has(holder)) problems.push(`claims for ${holder} without its submit`);
    const { rows: gaps } = await c.query(
      `select stream_id from es_events group by stream_id having max(stream_version) - min(stream_version) + 1 <> count(*)`,
    );
    for (const g of gaps) problems.push(`stream ${g.stream_id} has a gap in its versions`);
    if (problems.length) throw new Error(`the event log is not complete and whole:\n${problems.slice(0, 20).join('\n')}`);
  } finally {
    await c.end();
  }
}
