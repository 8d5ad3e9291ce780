import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { budiHousehold, DEMO_PASSWORD } from '../support/api';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TEST_KEK } from '../support/database';

/**
 * The app killed with SIGKILL, three times, while writers register households: every answered
 * command's events are in the store, no write is half there (a case without its NIK claims or
 * the reverse), and after a restart the read models (cases, work queue) equal a rebuild from the log.
 */
describe('SIGKILL under a write load', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: AppProcess | undefined;
  let pg: Client;
  const acknowledged: string[] = [];
  let sent = 0;
  const documents = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-crash-'));
  const start = () => startAppProcess(db.url, { LOG_LEVEL: 'warn', DOCUMENT_STORE_DIR: documents });

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new Client(db.url);
    await pg.connect();
  });
  afterAll(async () => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
    await pg.end();
    await db.drop();
    fs.rmSync(documents, { recursive: true, force: true });
  });

  /** The n-th person: born 1 January 1980 in Kecamatan 32.04.10, NIK serial n + 1 (so up to 9,999 of them). */
  const nik = (n: number) => `320410010180${String(n + 1).padStart(4, '0')}`;
  const kk = (n: number) => `320410020220${String(n + 1).padStart(4, '0')}`;
  const WRITERS = 8;

  /** A one-person household with a NIK no other draft uses, as in the population registry. */
  const household = (n: number) =>
    budiHousehold('KANTOR_DESA', {
      kkNumber: kk(n),
      members: [
        {
          nik: nik(n),
          fullName: `Warga ${n}`,
          birthDate: '1980-01-01',
          sex: 'L',
          relation: 'KEPALA_KELUARGA',
          maritalStatus: 'KAWIN',
        },
      ],
    });

  const signIn = async (target: AppProcess, username: string): Promise<string> => {
    const login = await fetch(`${target.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    return ((await login.json()) as { accessToken: string }).accessToken;
  };

  /** The population-registry extract the automatic checks at submit compare with. */
  async function importExtract(target: AppProcess): Promise<void> {
    const rows = Array.from({ length: 9999 }, (_, n) => `${nik(n)},${kk(n)},WARGA ${n},1980-01-01,L,32.04.10.2001`);
    const res = await fetch(`${target.base}/api/v1/dukcapil/imports`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${await signIn(target, 'admin')}` },
      body: ['nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa', ...rows].join('\n'),
    });
    expect(res.status).toBe(201);
  }

  /**
   * Writers register and submit households until the app dies under them. A submit that passes
   * the automatic checks claims the members' NIKs in the same append; answered submits are remembered.
   */
  async function writeUntilKilled(target: AppProcess): Promise<void> {
    const accessToken = await signIn(target, 'operator.desa');
    const post = (path: string, body: object) =>
      fetch(`${target.base}/api/v1/registrations${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify(body),
      });
    let alive = true;
    const writer = async () => {
      while (alive) {
        try {
          const created = await post('', household(sent++));
          if (created.status !== 201) throw new Error(`draft: ${created.status} ${await created.text()}`);
          const { caseId } = (await created.json()) as { caseId: string };
          const submitted = await post(`/${caseId}/submit`, {});
          const outcome = (await submitted.json()) as { status: string };
          if (submitted.status !== 200 || outcome.status !== 'PEMERIKSAAN_DOKUMEN')
            throw new Error(`submit: ${submitted.status} ${JSON.stringify(outcome)}`);
          acknowledged.push(caseId);
        } catch (e) {
          if ((e as Error).message === 'fetch failed')
            alive = false; // fetch failed: the app died, this one was not answered
          else throw e;
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    await new Promise((r) => setTimeout(r, 1500));
    target.child.kill('SIGKILL');
    await Promise.all(writers);
    await target.exited();
  }

  it('loses no answered write and leaves no half-written one, three kills in a row', async () => {
    const first = await start();
    await importExtract(first);
    await writeUntilKilled(first);
    for (let round = 1; round < 3; round++) await writeUntilKilled(await start());
    expect(acknowledged.length).toBeGreaterThan(30);

    // Every answered submit is in the store, and a submit's NIK claim is there exactly when its
    // case's automatic checks are: the append is all or nothing.
    const { rows: checked } = await pg.query<{ stream_id: string }>(
      "select stream_id from es_events where stream_id like 'registration-%' and type = 'AutomaticChecksPassed'",
    );
    const passed = new Set(checked.map((r) => r.stream_id));
    for (const caseId of acknowledged) expect(passed.has(`registration-${caseId}`)).toBe(true);
    const { rows: claims } = await pg.query<{ holder: string; n: number }>(
      `select data::jsonb->>'holder' as holder, count(*)::int as n from es_events
       where stream_id like 'nikclaim-%' and type = 'NikClaimed' group by 1`,
    );
    const claimed = new Map(claims.map((c) => [c.holder, c.n]));
    for (const stream of passed) expect(claimed.get(stream)).toBe(1);
    for (const holder of claimed.keys()) expect(passed.has(holder)).toBe(true);
  }, 240_000);

  it('after a restart the read models catch up and equal a rebuild from the log', async () => {
    app = await start();
    const live = await eventuallyCaughtUp();
    const rebuilt = await rebuildAndRead();
    expect(live.cases.length).toBeGreaterThanOrEqual(acknowledged.length);
    expect(live.workItems.length).toBeGreaterThanOrEqual(acknowledged.length);
    expect(rebuilt).toEqual(live);
  }, 240_000);

  const readModels = async () => ({
    cases: (
      await pg.query(
        `select case_id, registration_number, village_code, channel, status, stage, version, household_id, submitted_at, updated_at
         from registration_cases order by case_id`,
      )
    ).rows,
    workItems: (await pg.query('select * from work_items order by case_type, case_id')).rows,
  });
  type ReadModels = Awaited<ReturnType<typeof readModels>>;

  async function eventuallyCaughtUp(): Promise<ReadModels> {
    let health: unknown;
    for (let i = 0; i < 120; i++) {
      health = await (await fetch(`${app!.base}/health`)).json();
      if ((health as { projections: Array<{ lagEvents: number }> }).projections.every((p) => p.lagEvents === 0))
        return readModels();
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the projections did not catch up: ${JSON.stringify(health)}\n${app!.output().slice(-5000)}`);
  }

  async function rebuildAndRead(): Promise<ReadModels> {
    for (const projection of ['registration-cases', 'work-queue']) {
      const run = spawnSync(
        process.execPath,
        ['-r', '@swc-node/register', 'src/cli/main.ts', 'projections:rebuild', projection],
        {
          cwd: path.resolve(__dirname, '../..'),
          env: { ...process.env, DATABASE_URL: db.url, KEY_ENCRYPTION_KEY: TEST_KEK.toString('base64') },
          encoding: 'utf8',
        },
      );
      expect(run.status).toBe(0);
    }
    return readModels();
  }
});
