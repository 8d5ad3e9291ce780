import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, TEST_KEK } from '../support/database';

/** `npm run cli -- population:generate`, as an operator runs it, on a database of its own. */
function generate(url: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', 'population:generate', ...args], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, DATABASE_URL: url, KEY_ENCRYPTION_KEY: TEST_KEK.toString('base64') },
    encoding: 'utf8',
    timeout: 150_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('population:generate (CLI)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pg: Client;
  const count = async (sql: string): Promise<number> => (await pg.query(sql)).rows[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await pg?.end();
    await db.drop();
  });

  it('writes the households as events, then brings the read models up to date, with progress', async () => {
    const run = generate(db.url, '-n', '150', '--seed', '3', '--region', '32.04.10', '--today', '2026-11-24');
    if (run.status !== 0) throw new Error(`${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
    expect(run.stderr).not.toMatch(/Gagal/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/ETA/);
    expect(run.stdout).toMatch(/Ditulis \/ written: 150 rumah tangga\/households/);
    expect(run.stdout).toMatch(/Read models up to date/);

    pg = new Client(db.url);
    await pg.connect();
    const established = Number(/DITETAPKAN (\d+)/.exec(run.stdout)![1]);
    expect(established).toBeGreaterThan(20);
    expect(await count('select count(*)::int as n from registration_cases')).toBe(150);
    expect(await count(`select count(*)::int as n from registration_cases where status = 'DITETAPKAN'`)).toBe(established);
    expect(await count('select count(*)::int as n from households')).toBe(established);
    expect(await count(`select count(*)::int as n from status_check where village_code not like '32.04.10.%'`)).toBe(0);
    expect(await count('select count(*)::int as n from status_check')).toBeGreaterThan(established);
    expect(await count('select count(*)::int as n from work_items where open')).toBeGreaterThan(0);
  }, 180_000);

  it('the same seed again is refused whole, and writes nothing', async () => {
    const before = await count('select count(*)::int as n from es_events');
    const run = generate(db.url, '-n', '150', '--seed', '3', '--region', '32.04.10', '--today', '2026-11-24');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/choose another seed/);
    expect(await count('select count(*)::int as n from es_events')).toBe(before);
  }, 120_000);

  it('bad options are answered in words before anything is written', async () => {
    const before = await count('select count(*)::int as n from es_events');
    expect(generate(db.url, '-n', 'sepuluh').stderr).toMatch(/--households: a whole number/);
    expect(generate(db.url, '--region', '99.99').stderr).toMatch(/unknown region: 99\.99/);
    expect(generate(db.url, '--today', '24-11-2026').stderr).toMatch(/--today: a date as YYYY-MM-DD/);
    expect(await count('select count(*)::int as n from es_events')).toBe(before);
  }, 120_000);
});
