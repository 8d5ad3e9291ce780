import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { budiHousehold, eventually, signIn } from '../support/api';
import { startTestApp } from '../support/app';

/** /metrics in Prometheus text: latency per route pattern, command outcomes, appends, projection lag. */
describe('GET /metrics', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  const http = () => request(app.getHttpServer());
  const TOKEN = 'rahasia-metrik-uji-1234';
  const scrape = () => http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
  /** The value of one sample line, e.g. value(text, 'bansos_events_appended_total'). */
  const value = (text: string, sample: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
    return line ? Number(line.slice(sample.length + 1)) : 0;
  };

  beforeAll(async () => {
    ctx = await startTestApp({ METRICS_TOKEN: TOKEN });
    app = ctx.app;
    t = await signIn(app, ['operator.desa']);
  });
  afterAll(() => ctx.close());

  it('asks for the token when one is configured', async () => {
    await http().get('/metrics').expect(401);
    await http().get('/metrics').set('Authorization', 'Bearer salah-salah-salah-salah').expect(401);
  });

  it('counts appends, command outcomes by code, and latency per route pattern without ids', async () => {
    const before = value((await scrape()).text, 'bansos_events_appended_total');
    const op = { Authorization: `Bearer ${t['operator.desa']}` };
    const created = await http().post('/api/v1/registrations').set(op).send(budiHousehold('KANTOR_DESA')).expect(201);
    await http().post(`/api/v1/registrations/${created.body.caseId}/document-check`).set(op).send({ complete: true }).expect(409);
    const text = (await scrape()).text;
    expect(value(text, 'bansos_events_appended_total')).toBeGreaterThan(before);
    expect(text).toMatch(/bansos_command_outcomes_total\{route="\/api\/v1\/registrations",outcome="accepted"\} 1/);
    expect(text).toMatch(
      /bansos_command_outcomes_total\{route="\/api\/v1\/registrations\/:id\/document-check",outcome="[A-Z_]+"\} 1/,
    );
    expect(text).toMatch(
      /bansos_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/registrations",status="201"\} 1/,
    );
    expect(text).not.toContain(created.body.caseId);
    expect(text).toMatch(/^bansos_process_resident_memory_bytes \d+/m);
  });

  it('shows each projection’s lag', async () => {
    const text = await eventually(async () => {
      const body = (await scrape()).text;
      expect(body).toMatch(/bansos_projection_lag_events\{projection="registration-cases"\} 0/);
      return body;
    });
    expect(text).toMatch(/bansos_projection_lag_seconds\{projection="status-check"\} [\d.e-]+/);
  });
});
