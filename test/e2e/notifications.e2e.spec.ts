import { INestApplication } from '@nestjs/common';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { NotificationDispatcher } from '../../src/notification/notification-dispatcher';
import { startTestApp } from '../support/app';
import { budiHousehold, eventually, signIn } from '../support/api';

describe('notifications through the outbox with a pluggable sender (webhook to an SMS/e-mail gateway)', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let gateway: http.Server;
  const received: Array<Record<string, unknown>> = [];
  let failNext = 1;

  beforeAll(async () => {
    gateway = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failNext-- > 0) return void res.writeHead(503).end();
        received.push({ ...JSON.parse(body), idempotencyKey: req.headers['idempotency-key'] });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`;
    // A long poll interval: the test drives the dispatcher itself.
    ctx = await startTestApp({
      NOTIFICATION_SENDER: 'webhook',
      NOTIFICATION_WEBHOOK_URL: url,
      NOTIFICATION_POLL_INTERVAL_MS: '3600000',
    });
    app = ctx.app;
  });
  afterAll(async () => {
    await ctx.close();
    gateway.close();
  });

  it('needs-correction reaches the applicant with its reasons; a failed delivery is retried, then recorded as sent', async () => {
    const t = await signIn(app, ['operator.desa']);
    const body = budiHousehold('KANTOR_DESA');
    (body as { application: { members: Array<{ fullName: string }> } }).application.members[1].fullName = 'Nama Lain';
    const created = await request(app.getHttpServer())
      .post('/api/v1/registrations')
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .send(body)
      .expect(201);
    await request(app.getHttpServer())
      .post(`/api/v1/registrations/${created.body.caseId}/submit`)
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .send({})
      .expect(200);
    const ds = app.get(DataSource);
    const dispatcher = app.get(NotificationDispatcher);

    await eventually(async () => expect(await dispatcher.dispatchOnce()).toBe(1));
    const [failed] = await ds.query('select status, attempts, next_attempt_at from notification_deliveries');
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(new Date(failed.next_attempt_at).getTime()).toBeGreaterThan(Date.now());
    expect(await dispatcher.dispatchOnce()).toBe(0); // not due yet

    await ds.query('update notification_deliveries set next_attempt_at = now()');
    expect(await dispatcher.dispatchOnce()).toBe(1);
    const [sent] = await ds.query('select status, attempts from notification_deliveries');
    expect(sent).toEqual({ status: 'SENT', attempts: 2 });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      caseId: created.body.caseId,
      template: 'PERLU_PERBAIKAN',
      to: { phone: '+6281234567890' },
      text: { id: expect.stringContaining('perlu perbaikan') },
      reasons: [{ code: 'DUKCAPIL_NAME', field: 'members[1]' }],
      idempotencyKey: received[0].notificationId,
    });
  });

  it('a claim whose sender died (lease run out) is sent again, with the same idempotency key', async () => {
    const ds = app.get(DataSource);
    await ds.query(`update notification_deliveries set status = 'SENDING', next_attempt_at = now() - interval '1 second'`);
    expect(await app.get(NotificationDispatcher).dispatchOnce()).toBe(1);
    expect(received).toHaveLength(2);
    expect(received[1].idempotencyKey).toBe(received[0].idempotencyKey);
    const [row] = await ds.query('select status from notification_deliveries');
    expect(row.status).toBe('SENT');
  });
});
