import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as path from 'node:path';
import { createStoreFixture, StoreFixture } from '../support/database';

const ROOT = path.resolve(__dirname, '../..');

function run(script: string, args: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-r', '@swc-node/register', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('command line', () => {
  let fx: StoreFixture;
  let env: Record<string, string>;
  beforeAll(async () => {
    fx = await createStoreFixture();
    env = { DATABASE_URL: fx.url, KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
    await fx.store.append(
      'case-1',
      [1, 2, 3].map((n) => ({ type: 'Step', data: { n } })),
      { expectedVersion: 'no_stream' },
    );
  });
  afterAll(() => fx.close());

  it('events:verify says the store is intact, then names the first broken link after tampering (exit 2)', async () => {
    const intact = run('src/cli/main.ts', ['events:verify'], env);
    expect(intact.stdout).toContain('UTUH / INTACT: 1 streams, 3 events');
    expect(intact.status).toBe(0);

    await fx.pool.query(`update es_events set data = '{"n":9}' where stream_id = 'case-1' and stream_version = 2`);
    const broken = run('src/cli/main.ts', ['events:verify'], env);
    expect(broken.stdout).toContain('RUSAK / BROKEN: stream case-1, versi/version 2');
    expect(broken.status).toBe(2);

    await fx.store.append('case-2', [{ type: 'Step', data: {} }], { expectedVersion: 'no_stream' });
    const one = run('src/cli/main.ts', ['events:verify', '-s', 'case-2'], env);
    expect(one.stdout).toContain('UTUH / INTACT: 1 streams, 1 events');
    expect(one.status).toBe(0);
  });

  it('projections:status lists each projection with its position and lag', () => {
    const status = run('src/cli/main.ts', ['projections:status'], env);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/projection\s+position\s+applied\s+lag \(events\)\s+lag \(s\)/);
    expect(status.stdout).toMatch(/stream-catalogue\s+0\/0\s+0\s+4\s/);
  });

  it('projections:rebuild brings a projection up to date and reports an unknown name plainly', () => {
    const rebuilt = run('src/cli/main.ts', ['projections:rebuild', 'stream-catalogue'], env);
    expect(rebuilt.stdout).toContain('Projection stream-catalogue rebuilt and swapped in');
    expect(run('src/cli/main.ts', ['projections:status'], env).stdout).toMatch(/stream-catalogue\s+\d+\/\d+\s+4\s+0\s/);
    const unknown = run('src/cli/main.ts', ['projections:rebuild', 'nope'], env);
    expect(unknown.stderr).toContain(
      'unknown projection "nope"; known: stream-catalogue, registration-cases, notification-outbox',
    );
    expect(unknown.status).toBe(1);
  });

  it('the app refuses to start on a bad variable, naming it (exit 78)', () => {
    const result = run('src/main.ts', [], { PORT: 'abc' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT="abc"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
