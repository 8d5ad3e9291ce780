import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunningPostgres, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { EmbeddedPostgresSupervisor, removeStalePidFile } from '../../src/database/postgres-supervisor';
import { queryRows as query } from '../support/database';

const ROOT = path.resolve(__dirname, '../../.data');
const dirs: string[] = [];
const supervisors: EmbeddedPostgresSupervisor[] = [];

function scratch(name: string): string {
  const dir = path.join(ROOT, `test-run-${process.pid}-${name}`);
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const s of supervisors) await s.stop().catch(() => undefined);
  for (const dir of dirs)
    for (const p of [
      dir,
      `${path.dirname(dir)}/.${path.basename(dir)}-password`,
      `${path.dirname(dir)}/.${path.basename(dir)}-socket`,
    ])
      fs.rmSync(p, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FAST = { maxConsecutiveFailures: 3, baseDelayMs: 50, maxDelayMs: 200, stableAfterMs: 60_000 };

/** The supervisor against a real embedded PostgreSQL whose postmaster is SIGKILLed. */
describe('EmbeddedPostgresSupervisor', () => {
  it('restarts a killed server on the same port; committed rows survive crash recovery', async () => {
    const dataDir = scratch('supervised');
    const pg: RunningPostgres = await startEmbeddedPostgres({ dataDir });
    const supervisor = new EmbeddedPostgresSupervisor(pg, (port) => startEmbeddedPostgres({ dataDir, port }), FAST);
    supervisors.push(supervisor);
    await query(pg.url, 'create table kept (n int); insert into kept values (1), (2), (3)');

    process.kill(pg.pid!, 'SIGKILL');
    await until('the restart', () => (supervisor.status().restarts === 1 ? true : undefined));

    expect(supervisor.status()).toMatchObject({ state: 'running', restarts: 1 });
    expect(await query(pg.url, 'select count(*)::int as n from kept')).toEqual([{ n: 3 }]); // same URL, same rows
  }, 60_000);

  it('gives up after the configured number of failed restarts, and says so in its status', async () => {
    const dataDir = scratch('doomed');
    const pg = await startEmbeddedPostgres({ dataDir });
    let attempts = 0;
    const supervisor = new EmbeddedPostgresSupervisor(
      pg,
      (port) => {
        attempts++;
        return startEmbeddedPostgres({ dataDir, port });
      },
      FAST,
    );
    supervisors.push(supervisor);
    // A server that cannot start again: its configuration is broken.
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), '\nshared_buffers = nonsense\n');

    process.kill(pg.pid!, 'SIGKILL');
    await until('giving up', () => (supervisor.status().state === 'failed' ? true : undefined));

    // The crash came soon after the start, so it counts as one failure: two restarts remain.
    expect(attempts).toBe(FAST.maxConsecutiveFailures - 1);
    expect(supervisor.status()).toMatchObject({ state: 'failed', restarts: 0, consecutiveFailures: FAST.maxConsecutiveFailures });
  }, 60_000);

  it('removes a postmaster.pid only when it names the dead postmaster and no PostgreSQL runs under that pid', () => {
    const dataDir = scratch('pidfile');
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'postmaster.pid');
    const write = (pid: number) => fs.writeFileSync(file, `${pid}\n${dataDir}\n0\n5432\n`);

    write(process.pid); // a live process that is not PostgreSQL (pid reused): stale
    removeStalePidFile(dataDir, process.pid);
    expect(fs.existsSync(file)).toBe(false);

    write(process.pid); // names another server than the one that died: not ours to touch
    removeStalePidFile(dataDir, process.pid + 1);
    expect(fs.existsSync(file)).toBe(true);
  });
});
