import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, queryRows as query, TEST_KEK } from '../support/database';

/** The read models compared after a restore: every table a projection owns, in a stable order. */
const READ_MODELS: Record<string, string> = {
  registration_cases: 'case_id',
  households: 'household_id',
  status_check: 'person_key',
  work_items: 'case_type, case_id',
  program_lists: '1, 2, 3',
  stream_catalogue: 'stream_id',
  audit_links: '1, 2',
};
const EVENT_STORE_TABLES = ['es_events', 'subject_keys'];

/**
 * The backup procedure of docs/operations.md, once, end to end: `pg_dump` of the event store of a running
 * registry, restored into a fresh installation, whose projections rebuild every read model from
 * the restored events; the result equals the original, and the hash chains still verify.
 */
describe('backup and restore: pg_dump of the event store, restore, rebuild, compare', () => {
  const documents = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-backup-'));
  const dumpFile = path.join(documents, 'event-store.pgdump');
  let source: Awaited<ReturnType<typeof createTestDatabase>>;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: AppProcess | undefined;

  beforeAll(async () => {
    if (spawnSync('pg_dump', ['--version']).status !== 0)
      throw new Error('pg_dump is not installed: apt-get install postgresql-client (see .ci/run)');
    source = await createTestDatabase();
    target = await createTestDatabase();
  });
  afterAll(async () => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
    await source.drop();
    await target.drop();
    fs.rmSync(documents, { recursive: true, force: true });
  });

  const start = (url: string, env: Record<string, string>) =>
    startAppProcess(url, { LOG_LEVEL: 'warn', DOCUMENT_STORE_DIR: documents, ...env });
  async function stop(a: AppProcess): Promise<void> {
    a.child.kill('SIGTERM');
    expect(await a.exited()).toBe(0);
  }

  it('gives back the same read models, rebuilt from the restored events alone', async () => {
    app = await start(source.url, { DEMO_HOUSEHOLDS: '150' });
    await caughtUp(app);
    await stop(app);
    const original = await readModels(source.url);
    expect(original.households.length).toBeGreaterThan(20);

    const tables = EVENT_STORE_TABLES.flatMap((t) => ['-t', t]);
    run('pg_dump', ['-Fc', '--data-only', ...tables, '-f', dumpFile, '-d', source.url]);

    // A fresh installation: the app creates the schema, then the events go in.
    app = await start(target.url, { DEMO_DATA: 'false' });
    await stop(app);
    await query(target.url, `truncate ${EVENT_STORE_TABLES.join(', ')}`);
    run('pg_restore', ['--data-only', '--single-transaction', '-d', target.url, dumpFile]);
    // The position sequence comes with the dump: new appends draw positions after every restored one.
    const [{ top, next }] = (await query(
      target.url,
      `select (select max(global_position) from es_events)::bigint as top,
              pg_sequence_last_value(pg_get_serial_sequence('es_events', 'global_position')) as next`,
    )) as { top: string; next: string }[];
    expect(BigInt(next)).toBeGreaterThanOrEqual(BigInt(top));

    app = await start(target.url, { DEMO_DATA: 'false' });
    await caughtUp(app);
    await stop(app);
    expect(await readModels(target.url)).toEqual(original);
    expect(await query(target.url, 'select count(*)::int as n from es_events')).toEqual(
      await query(source.url, 'select count(*)::int as n from es_events'),
    );
    const verify = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', 'events:verify'], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: target.url, KEY_ENCRYPTION_KEY: TEST_KEK.toString('base64') },
      encoding: 'utf8',
    });
    expect(verify.status).toBe(0);
  }, 300_000);
});

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command}: ${result.stderr}`);
}

async function readModels(url: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(READ_MODELS))
    out[table] = await query(url, `select * from ${table} order by ${order}`);
  return out;
}

async function caughtUp(app: AppProcess): Promise<void> {
  let health: unknown;
  for (let i = 0; i < 240; i++) {
    health = await (await fetch(`${app.base}/health`)).json();
    const projections = (health as { projections: Array<{ lagEvents: number }> }).projections;
    if (projections.length && projections.every((p) => p.lagEvents === 0)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the projections did not catch up: ${JSON.stringify(health)}`);
}
