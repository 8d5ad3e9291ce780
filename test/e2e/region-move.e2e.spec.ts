import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { startTestApp } from '../support/app';
import { DEMO_PASSWORD, files, hendraHousehold, signIn, sriHousehold } from '../support/api';
import { establishOverHttp } from '../support/flows';

/**
 * A command that changes a case's or household's region is checked against the old AND the new
 * region: a village operator or social worker cannot hand a case to a region outside their own.
 */
describe('moving a case or household out of the actor region', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let store: EventStore;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const draftIn = (villageCode: string) => {
    const body = sriHousehold() as { channel: string; application: Record<string, unknown> };
    return { ...body, application: { ...body.application, villageCode } };
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    store = app.get<EventStore>(EVENT_STORE);
    t = await signIn(app);
  });
  afterAll(() => ctx.close());

  it.each([
    ['operator.desa', '32.73.01.1001'],
    ['pendamping', '33.01.01.2001'],
  ])('%s: PUT /registrations/{id}/draft to village %s is 403 and writes nothing', async (user, outside) => {
    const created = await http().post('/api/v1/registrations').set(as(user)).send(draftIn('32.04.10.2001')).expect(201);
    const before = await store.readStream(`registration-${created.body.caseId}`);
    const moved = await http()
      .put(`/api/v1/registrations/${created.body.caseId}/draft`)
      .set(as(user))
      .send(draftIn(outside))
      .expect(403);
    expect(moved.body.code).toBe('OUTSIDE_REGION');
    expect(await store.readStream(`registration-${created.body.caseId}`)).toHaveLength(before.length);
    // The case stays where it was: the regency of the target never sees it.
    const seen = await http().get(`/api/v1/registrations/${created.body.caseId}`).set(as(user)).expect(200);
    expect(seen.body.application.villageCode).toBe('32.04.10.2001');
  });

  it('a move within the actor region is still allowed (the check is not a blanket refusal)', async () => {
    const created = await http().post('/api/v1/registrations').set(as('pendamping')).send(draftIn('32.04.10.2001')).expect(201);
    await http()
      .put(`/api/v1/registrations/${created.body.caseId}/draft`)
      .set(as('pendamping'))
      .send(draftIn('32.04.10.2002'))
      .expect(200);
  });

  it('approving a household move (PINDAH) needs the destination region too; the province may approve it', async () => {
    const { householdId } = await establishOverHttp(app, t, sriHousehold(), 7);
    const asked = await http()
      .post(`/api/v1/households/${householdId}/status-changes`)
      .set(as('operator.desa'))
      .send({ kind: 'PINDAH', toVillageCode: '32.73.01.1001', address: 'Jl. Baru No. 3', reason: 'Pindah kerja' })
      .expect(201);
    const letter = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(7171))
      .expect(201);
    const decision = { approve: true, reason: 'Surat pindah', evidence: [{ kind: 'document', sha256: letter.body.sha256 }] };
    // The queue asks the province, which may approve it, not the regency, which may not.
    const queued = (user: string) =>
      http()
        .get(`/api/v1/work-queue?afterPosition=${encodeURIComponent(asked.body.position)}&caseType=statuschange`)
        .set(as(user))
        .expect(200)
        .then((r) => r.body.items.map((i: { caseId: string }) => i.caseId));
    expect(await queued('verifikator.provinsi')).toContain(asked.body.caseId);
    expect(await queued('dinsos')).not.toContain(asked.body.caseId);
    // The case page offers the decision to whoever the decider lets approve it, and to no one else.
    const page = async (user: string) => {
      const signedIn = await http().post('/masuk').type('form').send({ username: user, password: DEMO_PASSWORD }).expect(303);
      const cookie = signedIn.headers['set-cookie'][0].split(';')[0];
      return (await http().get(`/konsol/kasus/statuschange/${asked.body.caseId}`).set('Cookie', cookie).expect(200)).text;
    };
    expect(await page('verifikator.provinsi')).toContain(`${asked.body.caseId}/decision`);
    expect(await page('dinsos')).not.toContain(`${asked.body.caseId}/decision`);
    const householdBefore = await store.readStream(`household-${householdId}`);
    const refused = await http()
      .post(`/api/v1/status-changes/${asked.body.caseId}/decision`)
      .set(as('dinsos'))
      .send(decision)
      .expect(403);
    expect(refused.body.code).toBe('OUTSIDE_REGION');
    expect(await store.readStream(`household-${householdId}`)).toHaveLength(householdBefore.length);
    expect(await store.readStream(`statuschange-${asked.body.caseId}`)).toHaveLength(1);
    await http()
      .post(`/api/v1/status-changes/${asked.body.caseId}/decision`)
      .set(as('verifikator.provinsi'))
      .send(decision)
      .expect(200);
    const after = await store.readStream(`household-${householdId}`);
    expect(after.at(-1)?.type).toBe('HouseholdMoved');
  });

  it('a provincial verifier of the destination alone cannot approve a move (the origin is outside their region)', async () => {
    await http()
      .post('/api/v1/users')
      .set(as('admin'))
      .send({
        username: 'verifikator.jateng',
        displayName: 'Jateng',
        password: DEMO_PASSWORD,
        role: 'verifikator_provinsi',
        regionCode: '33',
      })
      .expect(201);
    const other = await signIn(app, ['verifikator.jateng']);
    const { householdId } = await establishOverHttp(app, t, hendraHousehold(), 8);
    const asked = await http()
      .post(`/api/v1/households/${householdId}/status-changes`)
      .set(as('operator.desa'))
      .send({ kind: 'PINDAH', toVillageCode: '33.01.01.2001', address: 'Jl. Lain', reason: 'Pindah' })
      .expect(201);
    const letter = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(8181))
      .expect(201);
    const res = await http()
      .post(`/api/v1/status-changes/${asked.body.caseId}/decision`)
      .set({ Authorization: `Bearer ${other['verifikator.jateng']}` })
      .send({ approve: true, reason: 'x', evidence: [{ kind: 'document', sha256: letter.body.sha256 }] })
      .expect(403);
    expect(res.body.code).toBe('OUTSIDE_REGION');
  });
});
