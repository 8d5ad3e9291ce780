import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CheckpointIndex } from '../../src/event-store/integrity/checkpoint-index';
import { CheckpointWriter } from '../../src/event-store/integrity/checkpoint-writer';
import { startTestApp } from '../support/app';
import { budiHousehold, DEMO_PASSWORD, signIn, sriHousehold } from '../support/api';
import { establishOverHttp } from '../support/flows';

/**
 * Reads that serve a caseworker or an auditor say, in the API answer and on the page, when the
 * streams they come from fail their integrity check: the stream being read is checked (chain,
 * MACs, its latest signed checkpoint), not the whole store.
 */
describe('reads show a failed integrity check (API field and page banner)', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let tampered: { caseId: string; householdId: string };
  let untouched: { caseId: string; householdId: string };
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const sql = (text: string, params: unknown[] = []) => app.get(DataSource).query(text, params);

  /** Seals until every event of the streams is in a signed checkpoint (deadline, no fixed sleep). */
  async function sealed(streams: string[]): Promise<void> {
    const index = app.get(CheckpointIndex);
    const deadline = Date.now() + 30_000;
    for (;;) {
      await app.get(CheckpointWriter).sealNow();
      index.refresh();
      const heads: Array<{ stream_id: string; v: string }> = await sql(
        'select stream_id, max(stream_version) as v from es_events where stream_id = any($1) group by stream_id',
        [streams],
      );
      if (heads.every((h) => (index.current().seals.get(h.stream_id)?.version ?? 0) >= Number(h.v))) return;
      if (Date.now() > deadline) throw new Error('streams not sealed within 30 s');
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function session(username: string): Promise<string[]> {
    const res = await http().post('/masuk').type('form').send({ username, password: DEMO_PASSWORD }).expect(303);
    return ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
  }

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
    tampered = await establishOverHttp(app, t, budiHousehold('KANTOR_DESA'), 1);
    untouched = await establishOverHttp(app, t, sriHousehold(), 2);
    await sealed([`registration-${tampered.caseId}`, `household-${tampered.householdId}`, `registration-${untouched.caseId}`]);
  });
  afterAll(() => ctx.close());

  it('before any tampering, the case says its evidence is intact, checked against a signed checkpoint', async () => {
    const view = (await http().get(`/api/v1/registrations/${tampered.caseId}`).set(as('dinsos')).expect(200)).body;
    expect(view.integrity).toMatchObject({ intact: true, macsChecked: true, broken: [] });
    expect(view.integrity.checkpoint.seq).toBeGreaterThan(0);
  });

  it('after a DBA cuts the case’s last event and rewrites who decided in the household’s first, every read says so', async () => {
    const caseStream = `registration-${tampered.caseId}`;
    const householdStream = `household-${tampered.householdId}`;
    await sql(
      'delete from es_events where stream_id = $1 and stream_version = (select max(stream_version) from es_events where stream_id = $1)',
      [caseStream],
    );
    await sql(
      `update es_events set metadata = jsonb_set(metadata::jsonb, '{reason}', '"diubah oleh DBA"')::text
       where stream_id = $1 and stream_version = 1`,
      [householdStream],
    );
    await sql(
      `update es_events e set hash = es_link_hash('', e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version,
         e.data, e.metadata) where e.stream_id = $1 and e.stream_version = 1`,
      [householdStream],
    );
    const kindsOf = (integrity: { broken: Array<{ streamId: string; problems: Array<{ kind: string }> }> }, stream: string) =>
      integrity.broken.find((b) => b.streamId === stream)?.problems.map((p) => p.kind) ?? [];

    const view = (await http().get(`/api/v1/registrations/${tampered.caseId}`).set(as('dinsos')).expect(200)).body;
    expect(view.integrity.intact).toBe(false);
    expect(kindsOf(view.integrity, caseStream)).toContain('deleted-tail');
    expect(view.integrity.message.id).toContain('PERINGATAN');

    const caseTrail = (
      await http().get(`/api/v1/audit/cases/registration/${tampered.caseId}/timeline`).set(as('auditor')).expect(200)
    ).body;
    expect(kindsOf(caseTrail.integrity, caseStream)).toContain('deleted-tail');

    // The household's founding event fails its MAC: quarantined, so the household takes no effect,
    // and its reads say why instead of "not found" (no region to authorise by: only the stream's problems).
    const householdTrail = await http()
      .get(`/api/v1/audit/households/${tampered.householdId}/timeline`)
      .set(as('auditor'))
      .expect(409);
    expect(householdTrail.body.code).toBe('INTEGRITY_BROKEN');
    expect(householdTrail.body.message).toContain('PERINGATAN');
    expect(kindsOf({ broken: householdTrail.body.details }, householdStream)).toEqual(expect.arrayContaining(['edited']));

    const why = await http().get(`/api/v1/audit/households/${tampered.householdId}/why/BPNT`).set(as('auditor')).expect(409);
    expect(why.body.messageEn.startsWith('WARNING: this data comes from a stream that fails its integrity check')).toBe(true);

    const dinsos = await session('dinsos');
    const casePage = await http().get(`/konsol/pendaftaran/${tampered.caseId}`).set('Cookie', dinsos).expect(200);
    expect(casePage.text).toContain('data-integrity="broken"');
    expect(casePage.text).toContain('PERINGATAN: data ini berasal dari aliran yang gagal pemeriksaan integritas');
    const auditor = await session('auditor');
    const householdPage = await http().get(`/audit/rumah-tangga/${tampered.householdId}`).set('Cookie', auditor).expect(409);
    expect(householdPage.text).toContain('PERINGATAN: data ini berasal dari aliran yang gagal pemeriksaan integritas');

    // The other household's reads stay clean: the check is per stream, not a store-wide alarm.
    const other = (await http().get(`/api/v1/registrations/${untouched.caseId}`).set(as('dinsos')).expect(200)).body;
    expect(other.integrity).toMatchObject({ intact: true, broken: [] });
    const otherPage = await http().get(`/konsol/pendaftaran/${untouched.caseId}`).set('Cookie', dinsos).expect(200);
    expect(otherPage.text).toContain('data-integrity="intact"');
  });

  it('an auditor (only) downloads the public key and the signed checkpoints for an offline check', async () => {
    const key = await http().get('/api/v1/audit/integrity/public-key').set(as('auditor')).expect(200);
    expect(key.text).toContain('-----BEGIN PUBLIC KEY-----');
    const file = await http().get('/api/v1/audit/integrity/checkpoints').set(as('auditor')).expect(200);
    const first = JSON.parse(String(file.text ?? file.body).split('\n')[0]);
    expect(first).toMatchObject({ v: 1, seq: 1, prev: '' });
    await http().get('/api/v1/audit/integrity/checkpoints').set(as('dinsos')).expect(403);
  });
});
