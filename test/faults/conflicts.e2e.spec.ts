import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { budiHousehold, signIn, sriHousehold } from '../support/api';
import { startTestApp } from '../support/app';

/**
 * 1,000 concurrent commands racing for one decision on one case: exactly one wins, every other
 * gets a 409, and the stream stays whole (versions 1..n without gaps, one decision event).
 */
describe('1,000 concurrent conflicting commands on one case', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let store: EventStore;
  let op: { Authorization: string };
  const RACERS = 500; // per case; two cases, so 1,000 in all
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    store = app.get(EVENT_STORE);
    op = { Authorization: `Bearer ${(await signIn(app, ['operator.desa']))['operator.desa']}` };
  });
  afterAll(() => ctx.close());

  /** A submitted case waiting for its document check; returns its id and version. */
  async function submittedCase(body: object): Promise<{ caseId: string; version: number }> {
    const caseId = (await http().post('/api/v1/registrations').set(op).send(body).expect(201)).body.caseId;
    const submitted = await http().post(`/api/v1/registrations/${caseId}/submit`).set(op).send({}).expect(200);
    expect(submitted.body.status).toBe('PEMERIKSAAN_DOKUMEN');
    return { caseId, version: submitted.body.version };
  }

  async function race(caseId: string, ifMatch?: number): Promise<number[]> {
    const server = app.getHttpServer();
    const send = () => {
      let req = request(server).post(`/api/v1/registrations/${caseId}/document-check`).set(op);
      if (ifMatch !== undefined) req = req.set('If-Match', `"${ifMatch}"`);
      return req.send({ complete: false, reason: 'KK belum diunggah' }).then((r) => r.status);
    };
    return Promise.all(Array.from({ length: RACERS }, send));
  }

  async function expectWholeStream(caseId: string): Promise<void> {
    const events = await store.readStream(`registration-${caseId}`);
    expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'DocumentsFoundIncomplete')).toHaveLength(1);
  }

  it('with If-Match (the version read): one 200, the rest 409 VERSION_CONFLICT or a refused transition', async () => {
    const { caseId, version } = await submittedCase(budiHousehold('KANTOR_DESA'));
    const statuses = await race(caseId, version);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(RACERS - 1);
    await expectWholeStream(caseId);
  }, 120_000);

  it('without If-Match: the decider sees the winner’s state, so again exactly one wins', async () => {
    const { caseId } = await submittedCase(sriHousehold());
    const statuses = await race(caseId);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
    await expectWholeStream(caseId);
  }, 120_000);
});
