import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deriveIntegrityKeys, publicKeyPem } from '../../src/event-store/integrity/keys';
import { createStoreFixture, StoreFixture } from '../support/database';

const ROOT = path.resolve(__dirname, '../..');

function run(script: string, args: string[], env: Record<string, string>, input?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-r', '@swc-node/register', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
    input,
  });
}

describe('command line', () => {
  let fx: StoreFixture;
  let env: Record<string, string>;
  beforeAll(async () => {
    fx = await createStoreFixture();
    env = {
      DATABASE_URL: fx.url,
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      INTEGRITY_CHECKPOINT_FILE: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-cli-')), 'checkpoints.jsonl'),
    };
    await fx.store.append(
      'case-1',
      [1, 2, 3].map((n) => ({ type: 'Step', data: { n } })),
      { expectedVersion: 'no_stream' },
    );
  });
  afterAll(() => fx.close());

  it('events:verify says the store is intact, then names every broken stream after tampering (exit 2)', async () => {
    const intact = run('src/cli/main.ts', ['events:verify'], env);
    expect(intact.stdout).toContain('UTUH / INTACT: 1 streams, 3 events; MAC diperiksa / MACs checked');
    expect(intact.status).toBe(0);

    await fx.pool.query(`update es_events set data = '{"n":9}' where stream_id = 'case-1' and stream_version = 2`);
    const broken = run('src/cli/main.ts', ['events:verify'], env);
    expect(broken.stdout).toContain('RUSAK / BROKEN: 1 stream(s)');
    expect(broken.stdout).toContain('stream case-1:');
    expect(broken.stdout).toContain('[edited] peristiwa diubah / edited event, versi/version 2');
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
    // 3 of the 4 events applied: case-1 version 2, edited by SQL above, fails its MAC and is quarantined.
    expect(run('src/cli/main.ts', ['projections:status'], env).stdout).toMatch(/stream-catalogue\s+\d+\/\d+\s+3\s+0\s/);
    const unknown = run('src/cli/main.ts', ['projections:rebuild', 'nope'], env);
    expect(unknown.stderr).toContain(
      'unknown projection "nope"; known: stream-catalogue, registration-cases, notification-outbox',
    );
    expect(unknown.status).toBe(1);
  });

  it('users:create makes a user that can sign in, with the password from standard input; bad input is refused plainly', async () => {
    const created = run(
      'src/cli/main.ts',
      ['users:create', '-u', 'siti.operator', '-r', 'operator_desa', '-g', '32.04.10.2001', '-n', 'Siti'],
      env,
      'rahasia-panjang-1\n',
    );
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('user created: siti.operator (operator_desa, wilayah 32.04.10.2001)');
    const [row] = (await fx.pool.query(`select password_hash, role, region_code from users where username = 'siti.operator'`))
      .rows;
    expect(row).toMatchObject({ role: 'operator_desa', region_code: '32.04.10.2001' });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(run('src/cli/main.ts', ['users:list'], env).stdout).toMatch(/siti\.operator\s+operator_desa\s+32\.04\.10\.2001/);

    const wrongRegion = run(
      'src/cli/main.ts',
      ['users:create', '-u', 'budi', '-r', 'dinsos', '-g', '32.04.10.2001'],
      env,
      'rahasia-panjang-1\n',
    );
    expect(wrongRegion.status).toBe(1);
    expect(wrongRegion.stderr).toContain('REGION_FOR_ROLE');
    const shortPassword = run('src/cli/main.ts', ['users:create', '-u', 'budi', '-r', 'auditor'], env, 'pendek\n');
    expect(shortPassword.stderr).toContain('PASSWORD_TOO_SHORT');
  });

  it('dukcapil:import loads an extract all or nothing (or, with --partial, the good rows), naming bad rows by line and column', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dukcapil-'));
    const header = 'nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa';
    fs.writeFileSync(
      path.join(dir, 'bad.csv'),
      `${header}\n3204101203850001,3204100101200001,BUDI,1985-03-12,L,32.04.10.2001\n3204101203850002,3204100101200001,X,1985-03-12,Q,32.04.10.2001\n`,
    );
    const bad = run('src/cli/main.ts', ['dukcapil:import', path.join(dir, 'bad.csv')], env);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('line 3, kolom/column jenis_kelamin: SEX');
    expect((await fx.pool.query('select count(*)::int as n from dukcapil_residents')).rows[0].n).toBe(0);
    const partial = run('src/cli/main.ts', ['dukcapil:import', '--partial', path.join(dir, 'bad.csv')], env);
    expect(partial.status).toBe(2); // imported, but not everything
    expect(partial.stderr).toContain('line 3, kolom/column jenis_kelamin: SEX');
    expect(partial.stdout).toContain('imported: 1 baris/rows, ditolak / rejected: 1');
    expect((await fx.pool.query('select count(*)::int as n from dukcapil_residents')).rows[0].n).toBe(1);
    const good = run('src/cli/main.ts', ['dukcapil:import', 'src/demo/dukcapil-demo.csv'], env);
    expect(good.stdout).toContain('imported: 6 baris/rows');
    expect((await fx.pool.query('select count(*)::int as n from dukcapil_residents')).rows[0].n).toBe(6);
    fs.rmSync(dir, { recursive: true });
  });

  it('the app refuses to start on a bad variable, naming it (exit 78)', () => {
    const result = run('src/main.ts', [], { PORT: 'abc' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT="abc"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('in production the app refuses to start without its secrets, naming each (exit 78), before touching any database', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-prod-'));
    const secrets = { KEY_ENCRYPTION_KEY: '', AUTH_TOKEN_SECRET: '', METRICS_TOKEN: '', DATABASE_URL: '' };
    const result = run('src/main.ts', [], {
      ...secrets,
      NODE_ENV: 'production',
      EMBEDDED_PG_DIR: path.join(dataDir, 'postgres'),
    });
    expect(result.status).toBe(78);
    for (const name of Object.keys(secrets).filter((n) => n !== 'DATABASE_URL'))
      expect(result.stderr).toContain(`${name}: required in production`);
    expect(fs.readdirSync(dataDir)).toEqual([]); // no key generated beside the data, no database started
    fs.rmSync(dataDir, { recursive: true });
  });

  it('an external auditor verifies an export with the public key only, and deleted tail events are named', async () => {
    const auditor = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-auditor-'));
    await fx.store.append(
      'audited-1',
      [1, 2, 3].map((n) => ({ type: 'Step', data: { n } })),
      { expectedVersion: 'no_stream' },
    );
    const exported = run('src/cli/main.ts', ['events:checkpoints', '--seal', '--out', auditor], env);
    expect(exported.stdout).toContain('exported');
    expect(exported.status).toBe(0);
    // The auditor's machine: no key of the installation (another KEK), only the export.
    const auditorEnv = { ...env, KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    const args = ['events:verify', '-s', 'audited-1', '--checkpoints', path.join(auditor, 'checkpoints.jsonl')];
    const keyArgs = ['--public-key', path.join(auditor, 'public-key.pem')];
    const intact = run('src/cli/main.ts', [...args, ...keyArgs], auditorEnv);
    expect(intact.stdout).toContain('UTUH / INTACT: 1 streams, 3 events; MAC tidak diperiksa');
    expect(intact.status).toBe(0);

    await fx.pool.query(`delete from es_events where stream_id = 'audited-1' and stream_version = 3`);
    const cut = run('src/cli/main.ts', [...args, ...keyArgs], auditorEnv);
    expect(cut.stdout).toContain('[deleted-tail] peristiwa terakhir dihapus / deleted tail events, versi/version 3');
    expect(cut.status).toBe(2);

    // A checkpoint file signed by another key proves nothing: every record is refused.
    fs.writeFileSync(path.join(auditor, 'other.pem'), publicKeyPem(deriveIntegrityKeys(Buffer.alloc(32, 3)).publicKey));
    const forged = run('src/cli/main.ts', [...args, '--public-key', path.join(auditor, 'other.pem')], auditorEnv);
    expect(forged.stdout).toContain('signature does not verify with the public key');
    expect(forged.status).toBe(2);
    fs.rmSync(auditor, { recursive: true, force: true });
  });
});
