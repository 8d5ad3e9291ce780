import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { RecordedEvent } from '../../src/event-store/envelope';
import { START } from '../../src/event-store/position';
import { EventStore } from '../../src/event-store/port';
import { budiHousehold } from '../support/api';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createStoreFixture, createTestDatabase, StoreFixture } from '../support/database';
import { caughtUp, expectReadModelsEqualRebuild, readModelSnapshot, verifyChains, waitUntil } from '../support/durability';
import { signInOver } from '../support/write-load';

const ROOT = path.resolve(__dirname, '../..');
const RUN_DIR = path.resolve(ROOT, '.data', `test-run-${process.pid}-new-cluster`);
const TARGET_DIR = path.join(RUN_DIR, 'postgres');

async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (let from = START; ;) {
    const batch = await store.readAll({ from, limit: 500 });
    out.push(...batch.events);
    from = batch.position;
    if (batch.isEnd) return out;
  }
}

function script(name: string, url: string, file: string): void {
  const run = spawnSync('bash', [path.join(ROOT, 'scripts', name), file], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`scripts/${name} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
}

/** The URL of the app's database on the embedded server it runs from TARGET_DIR. */
function targetUrl(): string {
  const password = fs.readFileSync(path.join(RUN_DIR, '.postgres-password'), 'utf8').trim();
  const port = Number(fs.readFileSync(path.join(TARGET_DIR, 'postmaster.pid'), 'utf8').split('\n')[3]);
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/bansos_verval`;
}

/**
 * The data-only restore of docs/operations.md into a fresh installation on ANOTHER server: a registry on the
 * test server (whose transaction ids are far along) is backed up with scripts/backup.sh and
 * restored with scripts/restore.sh into a new embedded cluster, initialised on its own, whose
 * transaction ids start again. The app on it reads every event, the chains verify, the read
 * models equal the original's and a rebuild, and commands given after the restore are read by
 * the projections, after the restored events.
 */
describe('data-only restore into a new PostgreSQL cluster', () => {
  let source: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: AppProcess | undefined;
  let reader: StoreFixture | undefined;
  const dumpFile = path.join(RUN_DIR, 'backup.pgdump');
  const documents = path.join(RUN_DIR, 'documents');

  beforeAll(async () => {
    if (spawnSync('pg_dump', ['--version']).status !== 0)
      throw new Error('pg_dump is not installed: apt-get install postgresql-client (see .ci/run)');
    fs.mkdirSync(RUN_DIR, { recursive: true });
    source = await createTestDatabase();
  });
  afterAll(async () => {
    await reader?.close();
    if (app?.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited();
    }
    await source.drop();
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
  });

  const stop = async (a: AppProcess): Promise<void> => {
    a.child.kill('SIGTERM');
    expect(await a.exited()).toBe(0);
  };

  it('reads every event, verifies, rebuilds equal, and orders new commands after the restored ones', async () => {
    try {
      await backupAndRestore();
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- the app's last output:\n${app?.output().slice(-5000)}`);
    }
  }, 420_000);

  async function backupAndRestore(): Promise<void> {
    // The source server has used many more transaction ids than a new cluster will have.
    const burn = new Client(source.url);
    await burn.connect();
    await burn.query(`do $$ begin for i in 1..3000 loop perform pg_current_xact_id(); commit; end loop; end $$`);
    await burn.end();

    app = await startAppProcess(source.url, { LOG_LEVEL: 'warn', DOCUMENT_STORE_DIR: documents, DEMO_HOUSEHOLDS: '40' });
    await caughtUp(app.base);
    await stop(app);
    const original = await readModelSnapshot(source.url);
    expect(original.households.length).toBeGreaterThan(10);
    const sourceStore = await createStoreFixture({ url: source.url });
    const before = await readEverything(sourceStore.store);
    await sourceStore.close();
    script('backup.sh', source.url, dumpFile);

    // A fresh installation on another server: the app initialises its own embedded cluster and
    // creates the schema; stopped, the administrator restores into it with the server up alone.
    app = await startAppProcess(undefined, {
      LOG_LEVEL: 'warn',
      EMBEDDED_PG_DIR: TARGET_DIR,
      DOCUMENT_STORE_DIR: documents,
      DEMO_DATA: 'false',
    });
    await stop(app);
    const cluster = await startEmbeddedPostgres({ dataDir: TARGET_DIR });
    try {
      const url = targetUrl();
      const xids = new Client(url);
      await xids.connect();
      const [{ fresh }] = (await xids.query(`select pg_current_xact_id()::text::bigint < 3000 as fresh`)).rows;
      await xids.end();
      expect(fresh).toBe(true); // its transaction ids started again
      script('restore.sh', url, dumpFile);
    } finally {
      await cluster.stop();
    }

    app = await startAppProcess(undefined, {
      LOG_LEVEL: 'warn',
      EMBEDDED_PG_DIR: TARGET_DIR,
      DOCUMENT_STORE_DIR: documents,
      DEMO_DATA: 'false',
    });
    const url = targetUrl();
    await caughtUp(app.base);
    expect(await readModelSnapshot(url)).toEqual(original);
    reader = await createStoreFixture({ url });
    const restored = await readEverything(reader.store);
    expect(restored.map((e) => e.eventId)).toEqual(before.map((e) => e.eventId)); // every event, once, in the same order
    const chains = await verifyChains(url);
    expect({ ok: chains.ok, output: chains.ok ? '' : chains.output }).toEqual({ ok: true, output: '' });

    // New commands after the restore (the restored users sign in): the projections read them, after the old events.
    const token = await signInOver(app.base, 'operator.desa');
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${app.base}/api/v1/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(budiHousehold('KANTOR_DESA')),
      });
      expect(res.status).toBe(201);
      created.push(((await res.json()) as { caseId: string }).caseId);
    }
    await waitUntil(
      'the new cases in the registration read model',
      async () => {
        const c = new Client(url);
        await c.connect();
        const { rows } = await c.query('select count(*)::int as n from registration_cases where case_id = any($1::uuid[])', [
          created,
        ]);
        await c.end();
        return rows[0].n === created.length ? true : undefined;
      },
      30_000,
    );
    await caughtUp(app.base);
    const after = await readEverything(reader.store);
    expect(after.slice(0, before.length).map((e) => e.eventId)).toEqual(before.map((e) => e.eventId));
    const added = after.slice(before.length).map((e) => e.streamId);
    for (const caseId of created) expect(added).toContain(`registration-${caseId}`);
    await expectReadModelsEqualRebuild(url);
  }
});
