import { INestApplication } from '@nestjs/common';
import { solveChallenge } from 'altcha-lib/v1';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Settings, SETTINGS } from '../../src/config/settings.module';
import { DocumentErasedError, DocumentStore } from '../../src/documents/document-store';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { PostgresKeyStore } from '../../src/event-store/crypto-shredding';
import { EVENT_STORE_POOL } from '../../src/event-store/event-store.module';
import { ErasureEnforcer } from '../../src/erasure/erasure-enforcer';
import { TEST_KEK } from '../support/database';
import { parsePosition } from '../../src/event-store/position';
import { periodOf } from '../../src/programs/program-rules';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { startTestApp } from '../support/app';
import { budiHousehold, DEMO_PASSWORD, files, hendraHousehold, signIn, sriHousehold } from '../support/api';
import { establishOverHttp } from '../support/flows';

const PERIOD = periodOf(new Date().toISOString().slice(0, 10));

/** The household erased here (Sri Wahyuni and her son, demo Dukcapil), and what must vanish of it. */
const SRI = {
  names: ['Sri Wahyuni', 'Andi Saputra', 'Bayu Saputra'],
  niks: ['3204104211700004', '3204103004120005', '3204100505250007'],
  kk: '3204101506180002',
};
/** Every way a needle may be written into a column: as typed, upper case, and hex (bytea). */
function spellings(needle: string): string[] {
  return [needle.toLowerCase(), Buffer.from(needle, 'utf8').toString('hex'), Buffer.from(needle.toUpperCase()).toString('hex')];
}
const NEEDLES = [...SRI.names, ...SRI.niks, SRI.kk];
const found = (text: string): string[] => NEEDLES.filter((n) => spellings(n).some((s) => text.toLowerCase().includes(s)));

/**
 * Erasure end to end over HTTP: three households established, one erased on a dinsos request and
 * a second dinsos officer's approval; then no table, no API answer and no staff page holds its
 * names or NIKs, the others stay readable, counts stay right, every projection rebuilds and the
 * chains verify.
 */
describe('erasure of a household (UU PDP): request, four eyes, crypto-shredding everywhere', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let sri: { caseId: string; householdId: string };
  let hendra: { caseId: string; householdId: string };
  let sriChange: string;
  let sriDocs: string[];
  let otherProof: string;
  let requestId: string;
  let cookies: Record<string, string[]>;
  let keyBackup: Array<{ subject_id: string; wrapped_key: Buffer | null }>;
  let extractBackup: Array<Record<string, unknown>>;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const runner = () => app.get(ProjectionRunner);
  const settle = async (position: string) => runner().waitFor(parsePosition(position)!, { timeoutMs: 30_000 });

  /** Every API answer about a household a staff member can ask for, as text, by URL. */
  async function apiAnswers(h: { caseId: string; householdId: string }, changeId?: string): Promise<Record<string, string>> {
    const urls: Array<[string, string]> = [
      [`/api/v1/registrations/${h.caseId}`, 'dinsos'],
      [`/api/v1/households/${h.householdId}`, 'dinsos'],
      [`/api/v1/audit/households/${h.householdId}/timeline`, 'auditor'],
      [`/api/v1/audit/households/${h.householdId}/why/PKH`, 'auditor'],
      [`/api/v1/audit/households/${h.householdId}/as-of?date=${new Date().toISOString().slice(0, 10)}`, 'auditor'],
      [`/api/v1/audit/cases/registration/${h.caseId}/timeline`, 'auditor'],
      ['/api/v1/work-queue', 'dinsos'],
      ['/api/v1/work-queue/export?format=csv', 'dinsos'],
      ['/api/v1/audit/export?format=csv&regionCode=32.04', 'auditor'],
      ['/api/v1/households/export?format=csv&regionCode=32.04', 'dinsos'],
      ['/api/v1/dashboard?regionCode=32.04', 'dinsos'],
      [`/api/v1/programs/PKH/lists/32.04/${PERIOD}`, 'dinsos'],
      ['/api/v1/registrations', 'dinsos'],
    ];
    if (changeId) urls.push([`/api/v1/status-changes/${changeId}`, 'dinsos']);
    const answers: Record<string, string> = {};
    for (const [url, user] of urls) {
      const res = await http().get(url).set(as(user));
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.text.slice(0, 300)}`);
      answers[url] = res.text;
    }
    return answers;
  }

  /** Every staff page about the household, as text, by URL (signed in through the page). */
  async function pages(h: { caseId: string; householdId: string }, changeId?: string): Promise<Record<string, string>> {
    const urls: Array<[string, string]> = [
      [`/konsol/pendaftaran/${h.caseId}`, 'dinsos'],
      [`/audit/rumah-tangga/${h.householdId}`, 'auditor'],
      [`/audit/rumah-tangga/${h.householdId}/mengapa/PKH`, 'auditor'],
      [`/audit/kasus/registration/${h.caseId}`, 'auditor'],
      ['/konsol/antrean', 'dinsos'],
      ['/dasbor', 'dinsos'],
    ];
    if (changeId) urls.push([`/konsol/kasus/statuschange/${changeId}`, 'dinsos']);
    if (requestId) urls.push([`/penghapusan/${requestId}`, 'dinsos'], [`/penghapusan/rumah-tangga/${h.householdId}`, 'dinsos']);
    const answers: Record<string, string> = {};
    for (const [url, user] of urls) {
      const res = await http().get(url).set('Cookie', cookies[user]);
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.text.slice(0, 300)}`);
      answers[url] = res.text;
    }
    return answers;
  }

  /** The public status check (Cek Bansos), captcha solved as the browser widget does: the categories found. */
  async function statusCheck(name: string): Promise<string[]> {
    const c = (await http().get('/api/v1/cek-bansos/captcha').expect(200)).body;
    const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
    const captcha = Buffer.from(JSON.stringify({ ...c, number: solution!.number })).toString('base64');
    const res = await http().post('/api/v1/cek-bansos').send({ villageCode: '32.04.10.2001', name, captcha }).expect(200);
    expect(leaks({ statusCheck: res.text })).toEqual([]);
    return res.body.results.map((r: { category: string }) => r.category);
  }

  /** Every table's every row as text (bytea as hex, JSON as written), from information_schema. */
  async function everyTable(): Promise<Record<string, string>> {
    const ds = app.get(DataSource);
    const tables: Array<{ table_schema: string; table_name: string }> = await ds.query(
      `select table_schema, table_name from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    expect(tables.length).toBeGreaterThan(10);
    const out: Record<string, string> = {};
    for (const { table_schema, table_name } of tables) {
      const rows: Array<{ t: string }> = await ds.query(`select t::text as t from "${table_schema}"."${table_name}" t`);
      out[`${table_schema}.${table_name}`] = rows.map((r) => r.t).join('\n');
    }
    return out;
  }

  const leaks = (texts: Record<string, string>) =>
    Object.entries(texts).flatMap(([where, text]) => found(text).map((needle) => `${needle} in ${where}`));

  beforeAll(async () => {
    ctx = await startTestApp({ CAPTCHA_MAX_NUMBER: '2000' });
    app = ctx.app;
    t = await signIn(app);
    cookies = {};
    for (const user of ['dinsos', 'auditor']) {
      const res = await http().post('/masuk').type('form').send({ username: user, password: DEMO_PASSWORD }).expect(303);
      cookies[user] = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    }
    await http().put(`/api/v1/programs/PKH/quotas/32.04/${PERIOD}`).set(as('kemensos')).send({ quota: 2 }).expect(200);
    await establishOverHttp(app, t, budiHousehold('KANTOR_DESA'), 1);
    sri = await establishOverHttp(app, t, sriHousehold(), 2);
    hendra = await establishOverHttp(app, t, hendraHousehold(), 3);
    // A birth: a third member of Sri's household, in a status-change case of its own.
    const birth = await http()
      .post(`/api/v1/households/${sri.householdId}/status-changes`)
      .set(as('operator.desa'))
      .send({
        kind: 'KELAHIRAN',
        reason: 'Kelahiran anak',
        member: {
          nik: SRI.niks[2],
          fullName: SRI.names[2],
          birthDate: '2025-05-05',
          sex: 'L',
          relation: 'ANAK',
          maritalStatus: 'BELUM_KAWIN',
        },
      })
      .expect(201);
    sriChange = birth.body.caseId;
    const proof = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(777))
      .expect(201);
    const decided = await http()
      .post(`/api/v1/status-changes/${sriChange}/decision`)
      .set(as('dinsos'))
      .send({ approve: true, reason: 'Akta diperiksa', evidence: [{ kind: 'document', sha256: proof.body.sha256 }] })
      .expect(200);
    await settle(decided.body.position);
    sriDocs = [proof.body.sha256];
    otherProof = (
      await http()
        .post('/api/v1/documents')
        .set(as('dinsos'))
        .set('Content-Type', 'application/pdf')
        .send(files.pdf(778))
        .expect(201)
    ).body.sha256;
  }, 180_000);

  afterAll(async () => {
    await ctx?.close();
  });

  it('before: the household is readable everywhere, and its documents are encrypted on disk', async () => {
    const answers = await apiAnswers(sri, sriChange);
    expect(found(answers[`/api/v1/households/${sri.householdId}`])).toEqual(expect.arrayContaining(SRI.niks));
    expect(found(Object.values(await pages(sri, sriChange)).join('\n'))).toContain('Sri Wahyuni');
    expect(await statusCheck('Sri Wahyuni')).not.toContain('TIDAK_TERDAFTAR');
    // The table scan sees plain text where there is some: the Dukcapil extract this system holds.
    expect(leaks(await everyTable())).toEqual(expect.arrayContaining([`${SRI.niks[0]} in public.dukcapil_residents`]));
    const dir = app.get<Settings>(SETTINGS).config.documents.dir;
    const stored = fs.readFileSync(path.join(dir, sriDocs[0].slice(0, 2), sriDocs[0]));
    expect(stored.includes(Buffer.from('%PDF'))).toBe(false); // ciphertext on disk
    expect((await app.get(DocumentStore).read(sriDocs[0])).toString()).toContain('%PDF');
  });

  it('who may ask and decide: dinsos of the region only, a second officer, a lawful basis and a reason free of personal data', async () => {
    const url = `/api/v1/households/${sri.householdId}/erasure-requests`;
    const body = { legalBasis: 'PERMINTAAN_SUBJEK', reason: 'Permintaan tertulis subjek data, surat nomor 12/2026' };
    await http().post(url).set(as('operator.desa')).send(body).expect(403);
    await http().post(url).set(as('kemensos')).send(body).expect(403);
    await http()
      .post('/api/v1/users')
      .set(as('admin'))
      .send({ username: 'dinsos.kota', displayName: 'Dinsos Kota', password: DEMO_PASSWORD, role: 'dinsos', regionCode: '32.73' })
      .expect(201);
    const elsewhere = (await signIn(app, ['dinsos.kota']))['dinsos.kota'];
    const outside = await http().post(url).set('Authorization', `Bearer ${elsewhere}`).send(body).expect(403);
    expect(outside.body.code).toBe('OUTSIDE_REGION');
    expect(
      (
        await http()
          .post(url)
          .set(as('dinsos'))
          .send({ ...body, legalBasis: 'KARENA_SAYA_MAU' })
          .expect(400)
      ).body.message,
    ).toBeTruthy();
    const withNik = await http()
      .post(url)
      .set(as('dinsos'))
      .send({ ...body, reason: `Atas permintaan NIK ${SRI.niks[0]}` })
      .expect(422);
    expect(withNik.body.code).toBe('REASON_HAS_PERSONAL_DATA');
    const withName = await http()
      .post(url)
      .set(as('dinsos'))
      .send({ ...body, reason: 'Permintaan ibu Sri Wahyuni sendiri' })
      .expect(422);
    expect(withName.body.code).toBe('REASON_HAS_PERSONAL_DATA');

    const asked = await http().post(url).set(as('dinsos')).send(body).expect(201);
    requestId = asked.body.requestId;
    expect(asked.body.status).toBe('DIAJUKAN');
    const decision = `/api/v1/erasure-requests/${requestId}/decision`;
    expect((await http().post(decision).set(as('dinsos')).send({ approve: true }).expect(422)).body.code).toBe('FOUR_EYES');
    await http().post(decision).set(as('operator.desa')).send({ approve: true }).expect(403);
    await http().post(decision).set('Authorization', `Bearer ${elsewhere}`).send({ approve: true }).expect(403);
    // Nothing was erased by the refused attempts.
    expect(found((await http().get(`/api/v1/households/${sri.householdId}`).set(as('dinsos')).expect(200)).text)).toContain(
      SRI.niks[0],
    );
  });

  it('after approval: no table, API answer or page holds the names or NIKs; the others stay intact; counts hold', async () => {
    keyBackup = await app.get(DataSource).query('select subject_id, wrapped_key from subject_keys');
    extractBackup = await app.get(DataSource).query('select * from dukcapil_residents where kk_number = $1', [SRI.kk]);
    expect(extractBackup.length).toBe(2);
    const dashboardBefore = (await http().get('/api/v1/dashboard?regionCode=32.04').set(as('dinsos')).expect(200)).body;
    const approved = await http()
      .post(`/api/v1/erasure-requests/${requestId}/decision`)
      .set(as('dinsos.dua'))
      .send({ approve: true })
      .expect(200);
    expect(approved.body.status).toBe('DISETUJUI');
    await settle(approved.body.position);

    expect(leaks(await everyTable())).toEqual([]);
    const answers = await apiAnswers(sri, sriChange);
    expect(leaks(answers)).toEqual([]);
    expect(leaks(await pages(sri, sriChange))).toEqual([]);
    const household = JSON.parse(answers[`/api/v1/households/${sri.householdId}`]);
    // Established members are gone with the list; the member born later reads "[dihapus]" throughout.
    expect(household).toMatchObject({
      erased: true,
      members: [expect.objectContaining({ fullName: '[dihapus]', nik: '[dihapus]' })],
    });
    const reg = JSON.parse(answers[`/api/v1/registrations/${sri.caseId}`]);
    expect(reg.application.members).toEqual([]);
    expect(reg.application.kkNumber).toBe('[dihapus]');

    // The request and decision events hold ids and codes only.
    const events = await app.get<EventStore>(EVENT_STORE).readStream(`erasure-${requestId}`);
    expect(events.map((e) => e.type)).toEqual(['ErasureRequested', 'ErasureApproved']);
    expect(found(JSON.stringify(events.map((e) => [e.data, e.metadata])))).toEqual([]);

    // Documents: the key is gone and the file too.
    await expect(app.get(DocumentStore).read(sriDocs[0])).rejects.toBeInstanceOf(DocumentErasedError);

    // Nothing personal can be written to the erased household again: a clear 410, never a 500.
    const birth = await http()
      .post(`/api/v1/households/${sri.householdId}/status-changes`)
      .set(as('operator.desa'))
      .send({ kind: 'PINDAH', reason: 'Pindah alamat', toVillageCode: '32.04.10.2002', address: 'Jl. Baru 1' })
      .expect(201);
    const refused = await http()
      .post(`/api/v1/status-changes/${birth.body.caseId}/decision`)
      .set(as('dinsos'))
      .send({ approve: true, reason: 'Diperiksa', evidence: [{ kind: 'document', sha256: otherProof }] });
    expect([refused.status, refused.body.code]).toEqual([410, 'SUBJECT_ERASED']);

    // Others intact and readable.
    const other = await http().get(`/api/v1/households/${hendra.householdId}`).set(as('dinsos')).expect(200);
    expect(other.text).toContain('Hendra Gunawan');
    expect(other.body.erased).toBeFalsy();

    // Program counts (enrolled, waitlisted, quota) and the decile distribution do not move.
    const dashboardAfter = (await http().get('/api/v1/dashboard?regionCode=32.04').set(as('dinsos')).expect(200)).body;
    expect(dashboardAfter.programs).toEqual(dashboardBefore.programs);
    expect(dashboardAfter.classification).toEqual(dashboardBefore.classification);

    // The public status check no longer knows the erased household, and still knows the others.
    expect(await statusCheck('Sri Wahyuni')).toEqual(['TIDAK_TERDAFTAR']);
    expect(await statusCheck('Andi Saputra')).toEqual(['TIDAK_TERDAFTAR']);
    expect(await statusCheck('Hendra Gunawan')).not.toContain('TIDAK_TERDAFTAR');
    const statusRows: Array<{ subject_id: string }> = await app.get(DataSource).query('select subject_id from status_check');
    expect(statusRows.map((r) => r.subject_id)).not.toContain(sri.householdId);
    expect(statusRows.map((r) => r.subject_id)).toContain(hendra.householdId);
  });

  it('every projection rebuilds, the chains verify, and still nothing of the household comes back', async () => {
    for (const projection of runner().projections) await runner().rebuild(projection.name);
    const report = await app.get<EventStore>(EVENT_STORE).verifyIntegrity();
    expect(report.broken).toEqual([]);
    expect(report.eventsChecked).toBeGreaterThan(50);
    expect(leaks(await everyTable())).toEqual([]);
    expect(leaks(await apiAnswers(sri, sriChange))).toEqual([]);
    const statusRows: Array<{ subject_id: string }> = await app.get(DataSource).query('select subject_id from status_check');
    expect(statusRows.map((r) => r.subject_id)).toContain(hendra.householdId);
    expect(statusRows.map((r) => r.subject_id)).not.toContain(sri.householdId);
  });

  it('a later Dukcapil import leaves the erased residents out, and takes the others', async () => {
    const extract = [
      'nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa',
      '3204104211700004,3204101506180002,SRI WAHYUNI,1970-11-02,P,32.04.10.2001',
      '3204103004120005,3204101506180002,ANDI SAPUTRA,2012-04-30,L,32.04.10.2001',
      '3273011501800007,3273010101200001,WARGA KOTA,1980-01-15,L,32.73.01.1001',
    ].join('\n');
    await http().post('/api/v1/dukcapil/imports').set(as('admin')).set('Content-Type', 'text/csv').send(extract).expect(201);
    const niks: Array<{ nik: string }> = await app.get(DataSource).query('select nik from dukcapil_residents');
    expect(niks.map((r) => r.nik)).toContain('3273011501800007');
    expect(leaks(await everyTable())).toEqual([]);
  });

  it('the erasure register (outside the database) destroys the keys again when an older backup is restored', async () => {
    const ds = app.get(DataSource);
    const subjects: string[] = (
      (await app.get<EventStore>(EVENT_STORE).readStream(`erasure-${requestId}`))[1].data as { subjects: string[] }
    ).subjects;
    expect(subjects).toEqual(
      expect.arrayContaining([`household-${sri.householdId}`, `registration-${sri.caseId}`, `statuschange-${sriChange}`]),
    );
    const settings = app.get<Settings>(SETTINGS);
    expect(fs.readFileSync(settings.config.erasureRegisterFile, 'utf8')).toContain(requestId);
    // What restoring a backup of the database taken before the erasure does: the wrapped keys are back.
    for (const row of keyBackup.filter((k) => subjects.includes(k.subject_id)))
      await ds.query('update subject_keys set wrapped_key = $2, destroyed_at = null where subject_id = $1', [
        row.subject_id,
        row.wrapped_key,
      ]);
    // ... and the Dukcapil extract's rows of the household, which the approval had deleted.
    for (const r of extractBackup)
      await ds.query(
        `insert into dukcapil_residents (nik, kk_number, full_name, birth_date, sex, village_code, import_id)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [r.nik, r.kk_number, r.full_name, r.birth_date, r.sex, r.village_code, r.import_id],
      );
    expect(leaks(await everyTable())).not.toEqual([]);
    const fresh = () => new PostgresKeyStore(app.get(EVENT_STORE_POOL), TEST_KEK, 0).keysFor(subjects, false);
    const restored = await fresh();
    expect([...restored.values()].filter((k) => k instanceof Buffer).length).toBeGreaterThanOrEqual(3); // readable again
    // What the next start does.
    await app.get(ErasureEnforcer).onApplicationBootstrap();
    const after = await fresh();
    expect(subjects.map((s) => after.get(s))).toEqual(subjects.map(() => 'destroyed'));
    expect(leaks(await everyTable())).toEqual([]);
    expect(fs.readFileSync(settings.config.erasureRegisterFile, 'utf8')).not.toContain(SRI.niks[0]); // keyed hashes only
  });
});
