import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Enrolments } from '../../src/programs/enrolments.service';
import { periodOf } from '../../src/programs/program-rules';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { POOR, WELL_OFF } from '../registration/fixtures';
import { startTestApp } from '../support/app';
import { budiHousehold, eventually, files, hendraHousehold, signIn, sriHousehold } from '../support/api';
import { establishOverHttp } from '../support/flows';

const TODAY = new Date().toISOString().slice(0, 10);
const PERIOD = periodOf(TODAY);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('audit trails over HTTP: why a household entered, waits or left; time travel; the access log', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let budi: string;
  let sri: string;
  let hendra: string;
  let deathRecordedAt: string;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const holds = async (program: string, householdId: string) =>
    (await app.get(Enrolments).list(program, '32.04', PERIOD)).state.enrolled.has(householdId);
  const why = async (householdId: string, program: string) =>
    (await http().get(`/api/v1/audit/households/${householdId}/why/${program}`).set(as('dinsos')).expect(200)).body;
  const chainTypes = (answer: { chain: Array<{ type: string }> }) => answer.chain.map((e) => e.type);

  /** A status change requested, then approved by dinsos with evidence; returns the case id. */
  async function decidedChange(householdId: string, body: object, requester = 'operator.desa'): Promise<string> {
    const asked = await http().post(`/api/v1/households/${householdId}/status-changes`).set(as(requester)).send(body).expect(201);
    const proof = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(Math.random() * 1e9))
      .expect(201);
    await http()
      .post(`/api/v1/status-changes/${asked.body.caseId}/decision`)
      .set(as('dinsos'))
      .send({ approve: true, reason: 'Diperiksa ke lapangan', evidence: [{ kind: 'document', sha256: proof.body.sha256 }] })
      .expect(200);
    return asked.body.caseId;
  }

  async function upheld(path: string, body: object): Promise<string> {
    const filed = await http().post(path).set(as('operator.desa')).send(body).expect(201);
    const id = filed.body.appealId;
    const base = path.endsWith('objections') ? '/api/v1/objections' : '/api/v1/appeals';
    await http().post(`${base}/${id}/assignment`).set(as('dinsos')).send({}).expect(200);
    await http()
      .post(`${base}/${id}/decision`)
      .set(as('dinsos'))
      .send({ uphold: true, reason: 'Terbukti di lapangan' })
      .expect(200);
    return id;
  }

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
    await http().put(`/api/v1/programs/PKH/quotas/32.04/${PERIOD}`).set(as('kemensos')).send({ quota: 1 }).expect(200);
    await http().put(`/api/v1/programs/BPNT/quotas/32.04/${PERIOD}`).set(as('kemensos')).send({ quota: 10 }).expect(200);
    budi = (await establishOverHttp(app, t, budiHousehold('KANTOR_DESA'), 1)).householdId;
    await eventually(async () => expect(await holds('PKH', budi)).toBe(true), 10_000);
    sri = (await establishOverHttp(app, t, sriHousehold(), 2)).householdId;
    hendra = (await establishOverHttp(app, t, hendraHousehold(), 3)).householdId;
    await eventually(async () => expect(await holds('BPNT', hendra)).toBe(true), 10_000);
  });
  afterAll(() => ctx.close());

  it('entered via establishment and enrolment: the chain names the rule, the quota and who established it', async () => {
    const answer = await why(budi, 'PKH');
    expect(answer).toMatchObject({ standing: 'PENERIMA', period: PERIOD });
    expect(chainTypes(answer)).toEqual(
      expect.arrayContaining(['RegistrationEstablished', 'HouseholdEstablished', 'HouseholdEnrolled']),
    );
    expect(answer.text.id).toContain('menerima PKH');
    expect(answer.text.id).toMatch(/kuota 1/);
    expect(answer.text.id).toContain('kemensos');
    expect(answer.text.en).toContain('receives PKH');
    const text = await http().get(`/api/v1/audit/households/${budi}/why/PKH?format=text`).set(as('dinsos')).expect(200);
    expect(text.type).toBe('text/plain');
    expect(text.text).toBe(answer.text.id);
  });

  it('waitlisted beyond the quota: the answer gives the rank', async () => {
    const answer = await why(sri, 'PKH');
    expect(answer.standing).toBe('DAFTAR_TUNGGU');
    expect(answer.text.id).toMatch(/peringkat 1/);
  });

  it('left by death: the exit, the death and the decided status change, with who and why', async () => {
    deathRecordedAt = new Date().toISOString();
    await decidedChange(budi, { kind: 'MENINGGAL', memberIndex: 2, diedOn: daysAgo(2), reason: 'Laporan keluarga' });
    await eventually(async () => expect(await holds('PKH', budi)).toBe(false), 10_000);
    const answer = await eventually(async () => {
      const a = await why(budi, 'PKH');
      expect(a.standing).toBe('KELUAR');
      return a;
    });
    expect(chainTypes(answer)).toEqual(
      expect.arrayContaining(['HouseholdExited', 'MemberDied', 'StatusChangeRequested', 'StatusChangeApproved']),
    );
    expect(answer.text.id).toContain('meninggal');
    expect(answer.text.id).toContain('Laporan keluarga');
    expect(answer.text.id).toContain(`berlaku ${daysAgo(2)}`);
  });

  it('time travel: before and after the death, as the world was and as the system knew it', async () => {
    const asOf = async (query: string) =>
      (await http().get(`/api/v1/audit/households/${budi}/as-of?${query}`).set(as('auditor')).expect(200)).body;
    const deceased = (b: { state: { members: Array<{ deceased?: boolean }> } }) => Boolean(b.state.members[2].deceased);
    const now = await asOf(`date=${TODAY}`);

    expect(deceased(now)).toBe(true);
    expect(now.programs).not.toContainEqual({ program: 'PKH', period: PERIOD });
    const knownBefore = await asOf(`date=${TODAY}&knownAt=${deathRecordedAt}`);
    expect(deceased(knownBefore)).toBe(false); // before the status change was recorded
    expect(knownBefore.programs).toContainEqual({ program: 'PKH', period: PERIOD });
    // The death took effect two days ago, before the household was established today: that day it was not yet in the registry.
    expect((await asOf(`date=${daysAgo(3)}`)).state.exists).toBe(false);
    await http().get(`/api/v1/audit/households/${budi}/as-of`).set(as('auditor')).expect(400);
  });

  it('left by graduation (after taking the freed PKH place)', async () => {
    await eventually(async () => expect((await why(sri, 'PKH')).standing).toBe('PENERIMA'), 10_000);
    await decidedChange(sri, { kind: 'GRADUASI', reason: 'Usaha warung mandiri' });
    const answer = await eventually(async () => {
      const a = await why(sri, 'PKH');
      expect(a.standing).toBe('KELUAR');
      return a;
    }, 10_000);
    expect(chainTypes(answer)).toEqual(expect.arrayContaining(['HouseholdDeactivated', 'StatusChangeApproved']));
    expect(answer.text.id).toContain('GRADUASI');
  });

  it('left by an upheld objection: the objection is in the chain, the objector is not', async () => {
    const objectionId = await upheld('/api/v1/objections', {
      householdId: hendra,
      objector: { nik: '3204104507880002', fullName: 'Siti Aminah' },
      reason: 'Memiliki dua mobil',
      photo: { mediaType: 'image/jpeg', base64: files.jpeg(61).toString('base64') },
      gps: { lat: -6.95, lon: 107.55 },
    });
    await decidedChange(hendra, { kind: 'SUDAH_MAMPU', followsReviewId: objectionId, reason: 'Terbukti mampu' }, 'dinsos');
    const answer = await eventually(async () => {
      const a = await why(hendra, 'BPNT');
      expect(a.standing).toBe('KELUAR');
      return a;
    }, 10_000);
    expect(chainTypes(answer)).toEqual(
      expect.arrayContaining(['ObjectionFiled', 'AppealUpheld', 'StatusChangeRequested', 'HouseholdDeactivated']),
    );
    const trail = await http().get(`/api/v1/audit/households/${hendra}/timeline`).set(as('dinsos')).expect(200);
    for (const secret of ['3204104507880002', 'Siti']) expect(JSON.stringify([answer, trail.body])).not.toContain(secret);
  });

  it('re-entered after an upheld appeal: re-ranked out, the ranking appeal upheld, a new visit re-ranks it back in', async () => {
    await decidedChange(budi, { kind: 'PERINGKAT_ULANG', indicators: WELL_OFF, reason: 'Indikator berubah' }, 'pendamping');
    await eventually(async () => expect(await holds('BPNT', budi)).toBe(false), 10_000);
    const appealId = await upheld('/api/v1/appeals', { type: 'RANKING', householdId: budi, reason: 'Usaha bangkrut' });
    await decidedChange(
      budi,
      { kind: 'PERINGKAT_ULANG', indicators: POOR, followsReviewId: appealId, reason: 'Kunjungan ulang' },
      'dinsos',
    );
    const answer = await eventually(async () => {
      const a = await why(budi, 'BPNT');
      expect(a.standing).toBe('PENERIMA');
      return a;
    }, 10_000);
    expect(chainTypes(answer)).toEqual(
      expect.arrayContaining(['AppealFiled', 'AppealUpheld', 'HouseholdReranked', 'HouseholdEnrolled', 'HouseholdExited']),
    );
  });

  it('the trail: who, when, why, evidence and rules per event, the hash chain checked; CSV and a printable page', async () => {
    const trail = (
      await http()
        .get(`/api/v1/audit/households/${budi}/timeline`)
        .set(as('dinsos'))
        .set('X-Purpose', 'Pemeriksaan banding')
        .expect(200)
    ).body;
    expect(trail.integrity).toMatchObject({ intact: true });
    expect(trail.integrity.eventsChecked).toBeGreaterThan(10);
    const approval = trail.entries.find((e: { type: string }) => e.type === 'StatusChangeApproved');
    expect(approval).toMatchObject({
      actor: { role: 'dinsos', region: '32.04' },
      reason: 'Diperiksa ke lapangan',
      evidence: [{ kind: 'document' }],
    });
    expect(trail.entries.some((e: { ruleVersions?: object }) => e.ruleVersions)).toBe(true);
    const csv = await http().get(`/api/v1/audit/households/${budi}/timeline?format=csv`).set(as('dinsos')).expect(200);
    expect(csv.headers['content-disposition']).toContain('.csv');
    expect(csv.text.split('\n')[0]).toBe(
      'recordedAt,effectiveOn,what,type,userId,role,region,reason,evidence,ruleVersions,batchId,streamId,streamVersion,position',
    );
    expect(csv.text.trim().split('\n')).toHaveLength(trail.entries.length + 1);
    const page = await http().get(`/api/v1/audit/households/${budi}/timeline?format=html&lang=en`).set(as('dinsos')).expect(200);
    expect(page.text).toContain('Integrity evidence intact');
    await http().get(`/api/v1/audit/households/${budi}/timeline`).set(as('operator.desa')).expect(403);
  });

  it('every staff read of personal data is in the access log, which only auditors read', async () => {
    await http().get(`/api/v1/households/${budi}`).set(as('dinsos')).set('X-Purpose', 'Cek data').expect(200);
    const log = (await http().get(`/api/v1/audit/access-log?subjectId=${budi}`).set(as('auditor')).expect(200)).body;
    expect(log.items[0]).toMatchObject({
      userId: expect.any(String),
      role: 'dinsos',
      subjectType: 'household',
      what: 'household',
      purpose: 'Cek data',
    });
    expect(log.items.map((i: { what: string }) => i.what)).toEqual(expect.arrayContaining(['timeline', 'why PKH']));
    await http().get('/api/v1/audit/access-log').set(as('dinsos')).expect(403);
  });

  it('the audit-links index rebuilt from the log equals the live one', async () => {
    const ds = app.get(DataSource);
    const rows = () => ds.query('select * from audit_links order by household_id, stream_id, stream_version');
    const live = await rows();
    await app.get(ProjectionRunner).rebuild('audit-links');
    expect(await rows()).toEqual(live);
  });
});
