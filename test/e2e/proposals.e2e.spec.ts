import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { startTestApp } from '../support/app';
import { budiHousehold, signIn } from '../support/api';

describe('a citizen proposes a needy neighbour (usul) over HTTP', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const proposal = (proposer: object) => ({
    proposer,
    application: (budiHousehold('USUL_WARGA') as { application: object }).application,
  });

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    const t = await signIn(app, ['admin']);
    const elsewhere =
      'nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa\n3273011501800007,3273010101200001,WARGA KOTA,1980-01-15,L,32.73.01.1001';
    await http()
      .post('/api/v1/dukcapil/imports')
      .set('Authorization', `Bearer ${t.admin}`)
      .set('Content-Type', 'text/csv')
      .send(elsewhere)
      .expect(201);
  });
  afterAll(() => ctx.close());

  it('a resident of the village opens a registration in the proposal channel; the proposer is named, their NIK is not kept', async () => {
    const res = await http()
      .post('/api/v1/registrations/usul')
      .send(proposal({ nik: '3204101501800006', fullName: 'Hendra Gunawan', phone: '+628111111111' }))
      .expect(201);
    expect(res.body.status).toBe('DRAFT');
    const [draft] = await app.get<EventStore>(EVENT_STORE).readStream(`registration-${res.body.caseId}`);
    expect(draft.data).toMatchObject({
      channel: 'USUL_WARGA',
      application: { proposer: { fullName: 'Hendra Gunawan', phone: '+628111111111' } },
    });
    expect(JSON.stringify({ data: draft.data, metadata: draft.metadata })).not.toContain('3204101501800006');
  });

  it('refuses a proposer unknown to the population registry, one from another village, and self-registration on another channel', async () => {
    expect(
      (
        await http()
          .post('/api/v1/registrations/usul')
          .send(proposal({ nik: '3204101501800099', fullName: 'Siapa' }))
          .expect(422)
      ).body.code,
    ).toBe('PROPOSER_UNKNOWN');
    expect(
      (
        await http()
          .post('/api/v1/registrations/usul')
          .send(proposal({ nik: '3273011501800007', fullName: 'Warga Kota' }))
          .expect(403)
      ).body.code,
    ).toBe('OUTSIDE_REGION');
    expect((await http().post('/api/v1/registrations/mandiri').send(budiHousehold('KANTOR_DESA')).expect(400)).body.code).toBe(
      'CHANNEL_ONLINE_ONLY',
    );
  });
});
