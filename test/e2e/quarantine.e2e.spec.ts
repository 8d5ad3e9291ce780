import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startTestApp } from '../support/app';
import { budiHousehold, DEMO_PASSWORD, files, hendraHousehold, signIn, sriHousehold } from '../support/api';
import { assessOverHttp } from '../support/flows';

/**
 * A DBA inserts a forged event by SQL (re-chained with es_link_hash, its MAC copied from another
 * event). Verification names it, and it never takes effect: the case reads answer 200 with the
 * banner, projections move past it, and /health and /metrics say it was quarantined.
 */
describe('forged events are quarantined on read (docs/adr/0002-tamper-evidence.md)', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let malformedCase: string;
  let decisionCase: string;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const sql = (text: string, params: unknown[] = []) => app.get(DataSource).query(text, params);

  /** Appends a forged event at the stream's head, chained as the database would, the MAC of its first event. */
  async function forge(streamId: string, type: string, data: object): Promise<number> {
    const [row] = await sql(
      `insert into es_events (stream_id, stream_version, category, event_id, type, schema_version, data, metadata,
                              recorded_at, hash, mac)
       select h.stream_id, h.stream_version + 1, h.category, $2, $3, 1, $4, h.metadata, h.recorded_at,
              es_link_hash(h.hash, h.stream_id, h.stream_version + 1, $2::uuid, $3, 1, $4, h.metadata),
              (select mac from es_events where stream_id = $1 and stream_version = 1)
       from es_events h where h.stream_id = $1 order by h.stream_version desc limit 1
       returning stream_version`,
      [streamId, randomUUID(), type, JSON.stringify(data)],
    );
    return Number(row.stream_version);
  }

  /** A later, unrelated command: its position is what read-your-writes waits for. */
  async function laterCommand(): Promise<string> {
    const res = await http().post('/api/v1/registrations').set(as('operator.desa')).send(hendraHousehold()).expect(201);
    expect(res.body.position).toMatch(/^\d+\/\d+$/);
    return res.body.position;
  }

  async function session(username: string): Promise<string[]> {
    const res = await http().post('/masuk').type('form').send({ username, password: DEMO_PASSWORD }).expect(303);
    return ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
  }

  const forgedIn = (
    integrity: { broken: Array<{ streamId: string; problems: Array<{ kind: string; streamVersion?: number }> }> },
    stream: string,
  ) =>
    integrity.broken
      .find((b) => b.streamId === stream)
      ?.problems.filter((p) => p.kind === 'forged')
      .map((p) => p.streamVersion) ?? [];

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
    malformedCase = (await assessOverHttp(app, t, sriHousehold(), 1)).caseId;
    const assessed = await assessOverHttp(app, t, budiHousehold('KANTOR_DESA'), 2);
    if (assessed.status !== 'MENUNGGU_MUSDES') throw new Error(`assessment: ${assessed.status}`);
    decisionCase = assessed.caseId;
  });
  afterAll(() => ctx.close());

  it('a malformed forged event: the case reads answer 200 with the banner, projections move on, /health and /metrics name it', async () => {
    const stream = `registration-${malformedCase}`;
    // Malformed: a draft without its application, which the case's evolve cannot apply.
    const version = await forge(stream, 'RegistrationDraftSaved', { junk: true });

    const view = (await http().get(`/api/v1/registrations/${malformedCase}`).set(as('dinsos')).expect(200)).body;
    expect(view.integrity.intact).toBe(false);
    expect(forgedIn(view.integrity, stream)).toContain(version);
    expect(view.integrity.message.id).toContain('PERINGATAN');
    const page = await http()
      .get(`/konsol/pendaftaran/${malformedCase}`)
      .set('Cookie', await session('dinsos'))
      .expect(200);
    expect(page.text).toContain('data-integrity="broken"');

    // The projections passed it: another user's read-your-writes answers, not 503 READ_MODEL_BEHIND.
    const position = await laterCommand();
    await http().get(`/api/v1/registrations?afterPosition=${position}`).set(as('operator.desa')).expect(200);
    await http().get(`/api/v1/work-queue?afterPosition=${position}`).set(as('operator.desa')).expect(200);

    const health = (await http().get('/health').expect(200)).body;
    expect(health.eventStore.quarantined.count).toBeGreaterThanOrEqual(1);
    expect(health.eventStore.quarantined.latest).toContainEqual(
      expect.objectContaining({ streamId: stream, streamVersion: version }),
    );
    const metrics = await http().get('/metrics').expect(200);
    const total = /^bansos_event_store_quarantined_events_total (\d+)$/m.exec(metrics.text);
    expect(Number(total?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('a schema-valid forged decision: the case stays at its stage in the API and the work queue, and the banner names it', async () => {
    const stream = `registration-${decisionCase}`;
    const version = await forge(stream, 'ApprovalDecided', { level: 'musdes', approved: true });
    const position = await laterCommand();

    const view = (await http().get(`/api/v1/registrations/${decisionCase}`).set(as('dinsos')).expect(200)).body;
    expect(view.status).toBe('MENUNGGU_MUSDES');
    expect(forgedIn(view.integrity, stream)).toContain(version);

    const queue = (
      await http().get(`/api/v1/work-queue?afterPosition=${position}&pageSize=200`).set(as('operator.desa')).expect(200)
    ).body;
    expect(queue.items).toContainEqual(expect.objectContaining({ caseId: decisionCase, stage: 'MENUNGGU_MUSDES' }));
    const list = (await http().get(`/api/v1/registrations?afterPosition=${position}&pageSize=200`).set(as('dinsos')).expect(200))
      .body;
    expect(list.items).toContainEqual(expect.objectContaining({ caseId: decisionCase, status: 'MENUNGGU_MUSDES' }));
    // Nor does it open the next level's decision.
    const regency = await http()
      .post(`/api/v1/registrations/${decisionCase}/regency-decision`)
      .set(as('dinsos'))
      .send({ approve: true });
    expect(regency.status).toBe(409);
    expect(regency.body.code).toBe('TRANSITION_NOT_ALLOWED');
    const minutes = await http()
      .post('/api/v1/documents')
      .set(as('operator.desa'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(299))
      .expect(201);
    // The stream's head is the forged row: no write lands on top of it until someone deals with it.
    const musdes = await http()
      .post(`/api/v1/registrations/${decisionCase}/musdes-decision`)
      .set(as('operator.desa'))
      .send({ approve: true, evidence: [{ kind: 'document', sha256: minutes.body.sha256 }] });
    expect(musdes.status).toBe(409);
  });
});
