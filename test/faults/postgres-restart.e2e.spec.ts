import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { RunningPostgres, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { withDatabaseName } from '../../src/database/urls';
import { budiHousehold, DEMO_PASSWORD } from '../support/api';
import { AppProcess, startAppProcess } from '../support/app-process';

const RUN_DIR = path.resolve(__dirname, '../../.data', `test-run-${process.pid}-pg-restart`);

/**
 * PostgreSQL stopped and started again while writers and readers keep coming: the app stays up,
 * says the database is down on /health meanwhile, refuses with 503 rather than failing, and
 * reconnects by itself — writes, reads and the projections work again without a restart.
 */
describe('PostgreSQL restarted under load', () => {
  let pg: RunningPostgres;
  let app: AppProcess | undefined;
  let url: string;
  const documents = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-pg-restart-'));

  beforeAll(async () => {
    pg = await startEmbeddedPostgres({ dataDir: RUN_DIR });
    const admin = new Client(pg.url);
    await admin.connect();
    await admin.query('create database restart_test');
    await admin.end();
    url = withDatabaseName(pg.url, 'restart_test');
    app = await startAppProcess(url, { LOG_LEVEL: 'warn', DOCUMENT_STORE_DIR: documents });
  }, 150_000);

  afterAll(async () => {
    if (app?.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited();
    }
    await pg.stop();
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
    fs.rmSync(`${path.dirname(RUN_DIR)}/.${path.basename(RUN_DIR)}-password`, { force: true });
    fs.rmSync(`${path.dirname(RUN_DIR)}/.${path.basename(RUN_DIR)}-socket`, { recursive: true, force: true });
    fs.rmSync(documents, { recursive: true, force: true });
  });

  it('keeps serving, reports the outage, and recovers by itself', async () => {
    try {
      await outageUnderLoad();
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- the app's last output:\n${app!.output().slice(-4000)}`);
    }
  }, 180_000);

  async function outageUnderLoad(): Promise<void> {
    const base = app!.base;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator.desa', password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const register = () =>
      fetch(`${base}/api/v1/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify(budiHousehold('KANTOR_DESA')),
      });
    const statuses: number[] = [];
    let writing = true;
    const writers = Array.from({ length: 4 }, async () => {
      while (writing) {
        statuses.push((await register()).status);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    await new Promise((r) => setTimeout(r, 1000));

    await pg.stop();
    const during = await healthFor(base, 3000);
    pg = await startEmbeddedPostgres({ dataDir: RUN_DIR, port: pg.port });
    const after = await healthUntil(base, (h) => h.status !== 'down' && h.database.status === 'up', 60_000);
    writing = false;
    await Promise.all(writers);

    expect(app!.child.exitCode).toBeNull();
    expect(during.some((h) => h.httpStatus === 503 && h.database.status === 'down')).toBe(true);
    expect(after.httpStatus).toBe(200);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]); // refused plainly, never a 500

    // Writes, reads and the projections work again.
    const created = await eventually(async () => {
      const res = await register();
      return res.status === 201 ? ((await res.json()) as { caseId: string; position: string }) : undefined;
    });
    const read = await fetch(`${base}/api/v1/work-queue?afterPosition=${encodeURIComponent(created.position)}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(read.status).toBe(200);
  }
});

type Health = { httpStatus: number; status: string; database: { status: string } };

async function health(base: string): Promise<Health> {
  const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
  return { httpStatus: res.status, ...((await res.json()) as Omit<Health, 'httpStatus'>) };
}

async function healthFor(base: string, ms: number): Promise<Health[]> {
  const seen: Health[] = [];
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) seen.push(await health(base));
  return seen;
}

async function healthUntil(base: string, ok: (h: Health) => boolean, ms: number): Promise<Health> {
  let last: Health | undefined;
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    last = await health(base);
    if (ok(last)) return last;
  }
  throw new Error(`the app did not recover: ${JSON.stringify(last)}`);
}

async function eventually<T>(attempt: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    const value = await attempt();
    if (value !== undefined) return value;
  }
  throw new Error('did not succeed in time');
}
