import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { AppProcess, startAppProcess } from '../support/app-process';
import {
  caughtUp,
  expectCompleteEventLog,
  expectReadModelsEqualRebuild,
  healthOf,
  verifyChains,
  waitUntil,
} from '../support/durability';
import { Acknowledged, HouseholdPlan, importExtract, seededRandom, seedFrom, signInOver, WriteLoad } from '../support/write-load';
import { isAlive } from '../support/processes';

const RUN_DIR = path.resolve(__dirname, '../../.data', `test-run-${process.pid}-pg-crash`);
const DATA_DIR = path.join(RUN_DIR, 'postgres');
const KILLS = Number(process.env.PG_CRASH_KILLS ?? 2);
const WRITERS = 6;
/** The guarantee: after its PostgreSQL dies, the app serves again within this, by itself. */
const RECOVERY_DEADLINE_MS = 30_000;

/** The embedded server's postmaster, as its lock file names it (pid, data dir, start time, port). */
function postmaster(): { pid: number; port: number } {
  const lines = fs.readFileSync(path.join(DATA_DIR, 'postmaster.pid'), 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

function databaseUrl(): string {
  const password = fs.readFileSync(path.join(RUN_DIR, '.postgres-password'), 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${postmaster().port}/bansos_verval`;
}

/**
 * The app on its own embedded PostgreSQL (fsync and synchronous_commit on, as shipped), writers
 * registering and submitting households over HTTP, and the PostgreSQL postmaster SIGKILLed
 * under them at seeded moments. The app must notice, restart the server (crash recovery on the
 * same folder) and serve again within 30 s without anyone's help; afterwards every answered
 * command's events are there exactly once, no write is half there, the chains verify, and every
 * read model equals a rebuild from the first event.
 */
describe('the embedded PostgreSQL SIGKILLed under a write load', () => {
  let app: AppProcess | undefined;
  let load: WriteLoad | undefined;
  const seed = seedFrom('PG_CRASH_SEED', 'postgres-crash');
  const random = seededRandom(seed);
  const plan = new HouseholdPlan(random);
  const ack = new Acknowledged();

  beforeAll(async () => {
    fs.mkdirSync(RUN_DIR, { recursive: true });
    app = await startAppProcess(undefined, {
      LOG_LEVEL: 'warn',
      EMBEDDED_PG_DIR: DATA_DIR,
      DOCUMENT_STORE_DIR: path.join(RUN_DIR, 'docs'),
    });
  }, 180_000);

  afterAll(async () => {
    await load?.stop(); // a failed run must not leave writers looping
    if (app?.child.exitCode === null) {
      app.child.kill('SIGTERM'); // the app stops its server on the way out
      await app.exited();
    }
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
  });

  it('restarts by itself within 30 s; nothing answered is lost, nothing is half-written, read models equal a rebuild', async () => {
    try {
      await crashUnderLoad();
    } catch (err) {
      throw new Error(`${(err as Error).message}\n(seed ${seed})\n--- the app's last output:\n${app!.output().slice(-4000)}`);
    }
  }, 420_000);

  async function crashUnderLoad(): Promise<void> {
    const base = app!.base;
    const url = databaseUrl();
    const settings = new Client(url);
    await settings.connect();
    const durable = (await settings.query(`select current_setting('fsync') as f, current_setting('synchronous_commit') as s`))
      .rows[0];
    await settings.end();
    expect(durable).toEqual({ f: 'on', s: 'on' }); // a durability test on a server that cannot lose commits

    await importExtract(base, plan);
    load = new WriteLoad(base, plan, await signInOver(base, 'operator.desa'), ack, WRITERS, {
      stopOnConnectionLoss: false,
      firstHousehold: 0,
    });
    const recoveries: number[] = [];
    const restartedIn: number[] = []; // death to "ready to accept connections", as the supervisor measured it
    for (let kill = 0; kill < KILLS; kill++) {
      // A seeded moment: after a few more answered submits, mid-load.
      await load.untilSubmits(ack.submits.size + 3 + Math.floor(random() * 15), 120_000);
      const victim = postmaster();
      process.kill(victim.pid, 'SIGKILL');
      const killedAt = Date.now();
      await waitUntil('PostgreSQL to be gone', async () => (isAlive(victim.pid) ? undefined : true), 10_000, 50);
      await waitUntil(
        'the app serving again after its PostgreSQL was killed',
        async () => {
          const h = await healthOf(base);
          return h?.httpStatus === 200 && h.body.database?.status === 'up' ? true : undefined;
        },
        RECOVERY_DEADLINE_MS,
      );
      recoveries.push(Date.now() - killedAt);
      const embedded = ((await healthOf(base))?.body as { database?: { embedded?: { lastRecoverySeconds?: number } } }).database
        ?.embedded;
      restartedIn.push(embedded?.lastRecoverySeconds ?? NaN);
      expect(postmaster().pid).not.toBe(victim.pid);
      // Writes are answered again, not only /health.
      await load.untilSubmits(ack.submits.size + 3, 60_000);
    }
    await load.stop();
    process.stdout.write(
      `postgres-crash: ${KILLS} kills, serving again after ${recoveries.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s ` +
        `(server restarted in ${restartedIn.map((s) => s.toFixed(1)).join(', ')} s); ` +
        `${ack.drafts.size} drafts and ${ack.submits.size} submits answered\n`,
    );
    // The supervisor's own account (pids, signals, timings: no personal data).
    const supervision = app!
      .output()
      .split('\n')
      .filter((l) => l.includes('"context":"EmbeddedPostgres"'))
      .map((l) => /"msg":"([^"]*)"/.exec(l)?.[1] ?? l);
    process.stdout.write(`postgres-crash: the app logged:\n  ${supervision.join('\n  ')}\n`);
    expect(app!.child.exitCode).toBeNull();
    expect(ack.unexpected).toEqual([]); // refused plainly (503) during the outage, never a 500

    const health = (await healthOf(base))!.body as { database: { embedded?: { restarts: number; state: string } } };
    expect(health.database.embedded).toMatchObject({ state: 'running', restarts: KILLS });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^bansos_embedded_postgres_restarts_total ${KILLS}$`, 'm'));
    expect(metrics).toMatch(/^bansos_embedded_postgres_up 1$/m);

    await caughtUp(base);
    await expectCompleteEventLog(url, ack);
    const chains = await verifyChains(url);
    expect({ ok: chains.ok, output: chains.ok ? '' : chains.output }).toEqual({ ok: true, output: '' });
    const live = await expectReadModelsEqualRebuild(url);
    expect(live.registration_cases.length).toBeGreaterThanOrEqual(ack.drafts.size);
  }
});
