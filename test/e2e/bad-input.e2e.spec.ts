import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { MAX_JSON_DEPTH } from '../../src/shared/http/input-guard';
import { startTestApp } from '../support/app';
import { budiHousehold, files, signIn } from '../support/api';
import { storeCaughtUp, writtenAfter } from '../support/store-settled';

/**
 * Each class of bad input gets a clear 4xx with a machine code and messages in Bahasa Indonesia
 * and English, never a stack trace, and changes nothing.
 */
describe('bad input over HTTP', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let caseId: string;
  const http = () => request(app.getHttpServer());
  const op = () => ({ Authorization: `Bearer ${t['operator.desa']}` });
  const version = async () =>
    Number((await http().get(`/api/v1/registrations/${caseId}`).set(op()).expect(200)).headers.etag.replace(/"/g, ''));

  beforeAll(async () => {
    ctx = await startTestApp({ MAX_UPLOAD_BYTES: '2048' });
    app = ctx.app;
    t = await signIn(app, ['operator.desa', 'admin']);
    caseId = (await http().post('/api/v1/registrations').set(op()).send(budiHousehold('KANTOR_DESA')).expect(201)).body.caseId;
  });
  afterAll(() => ctx.close());

  const cases: Array<[string, () => request.Test, number, string]> = [
    [
      'malformed JSON',
      () =>
        http()
          .post(`/api/v1/registrations/${caseId}/withdrawal`)
          .set(op())
          .set('Content-Type', 'application/json')
          .send('{"reason": '),
      400,
      'MALFORMED_JSON',
    ],
    [
      'a proposal without its proposer (a missing nested object; the fuzzer found it answered 500)',
      () =>
        http()
          .post('/api/v1/registrations/usul')
          .send({ application: (budiHousehold('USUL_WARGA') as { application: object }).application }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown field',
      () => http().post(`/api/v1/registrations/${caseId}/withdrawal`).set(op()).send({ reason: 'x', hack: true }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a wrong type',
      () => http().post(`/api/v1/registrations/${caseId}/document-check`).set(op()).send({ complete: 'yes' }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a malformed NIK in a draft',
      () =>
        http()
          .put(`/api/v1/registrations/${caseId}/draft`)
          .set(op())
          .send(
            budiHousehold('KANTOR_DESA', {
              members: [
                {
                  nik: 'abc',
                  fullName: 'x',
                  birthDate: '1990-01-01',
                  sex: 'L',
                  relation: 'KEPALA_KELUARGA',
                  maritalStatus: 'KAWIN',
                },
              ],
            }),
          ),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a case id that is not a UUID',
      () => http().post('/api/v1/registrations/not-a-uuid/submit').set(op()).send({}),
      400,
      'INVALID_ID',
    ],
    [
      'a malformed If-Match',
      () => http().post(`/api/v1/registrations/${caseId}/withdrawal`).set(op()).set('If-Match', 'abc').send({ reason: 'x' }),
      400,
      'IF_MATCH_FORMAT',
    ],
    ['no token', () => http().post(`/api/v1/registrations/${caseId}/submit`).send({}), 401, 'UNAUTHENTICATED'],
    [
      'a forged token',
      () =>
        http()
          .post(`/api/v1/registrations/${caseId}/submit`)
          .set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')
          .send({}),
      401,
      'TOKEN_INVALID',
    ],
    [
      'a wrong password',
      () => http().post('/api/v1/auth/login').send({ username: 'admin', password: 'salah-sekali' }),
      401,
      'LOGIN_FAILED',
    ],
    [
      'a case that does not exist',
      () => http().post('/api/v1/registrations/00000000-0000-4000-8000-000000000000/submit').set(op()).send({}),
      404,
      'CASE_NOT_FOUND',
    ],
    [
      'a stale version (If-Match)',
      () => http().post(`/api/v1/registrations/${caseId}/withdrawal`).set(op()).set('If-Match', '"99"').send({ reason: 'x' }),
      409,
      'VERSION_CONFLICT',
    ],
    [
      'a transition the state does not allow',
      () => http().post(`/api/v1/registrations/${caseId}/validation`).set(op()).send({ valid: true, fieldVisitRequired: false }),
      409,
      'TRANSITION_NOT_ALLOWED',
    ],
    [
      'a missing reason',
      () => http().post(`/api/v1/registrations/${caseId}/withdrawal`).set(op()).send({}),
      422,
      'REASON_REQUIRED',
    ],
    [
      'evidence that was never uploaded',
      () =>
        http()
          .post(`/api/v1/registrations/${caseId}/withdrawal`)
          .set(op())
          .send({ reason: 'x', evidence: [{ kind: 'document', sha256: 'f'.repeat(64) }] }),
      422,
      'EVIDENCE_NOT_FOUND',
    ],
    [
      'an unsupported file type',
      () =>
        http()
          .post(`/api/v1/registrations/${caseId}/documents?kind=KK`)
          .set(op())
          .set('Content-Type', 'text/plain')
          .send('hello'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a file whose content is not its type',
      () =>
        http()
          .post(`/api/v1/registrations/${caseId}/documents?kind=KK`)
          .set(op())
          .set('Content-Type', 'image/png')
          .send(files.jpeg()),
      415,
      'CONTENT_MISMATCH',
    ],
    [
      'an unknown document kind',
      () =>
        http()
          .post(`/api/v1/registrations/${caseId}/documents?kind=SELFIE`)
          .set(op())
          .set('Content-Type', 'image/jpeg')
          .send(files.jpeg()),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a file over the size limit',
      () =>
        http()
          .post(`/api/v1/registrations/${caseId}/documents?kind=KK`)
          .set(op())
          .set('Content-Type', 'application/pdf')
          .send(Buffer.concat([files.pdf(), Buffer.alloc(4096)])),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a malformed registration number',
      () => http().get('/api/v1/cek-bansos/pendaftaran/123'),
      400,
      'REGISTRATION_NUMBER_FORMAT',
    ],
    ['a page size over the limit', () => http().get('/api/v1/registrations?pageSize=5000').set(op()), 400, 'VALIDATION_FAILED'],
  ];

  it.each(cases.map(([name, send, status, code]) => ({ name, send, status, code })))(
    '$name → $status $code, nothing changes',
    async ({ send, status, code }) => {
      const before = await version();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, code, message: expect.any(String), messageEn: expect.any(String) });
      expect(res.body.message).not.toBe(res.body.messageEn);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(await version()).toBe(before);
    },
  );

  describe('input that gave a 500: a NUL, a lone surrogate, nesting 1,500 deep (issue 16 §3)', () => {
    const withEmail = (email: string) =>
      budiHousehold('KANTOR_DESA', { contact: { phone: '+6281234567890', email } }) as { application: object };
    const proposal = (email: string) => ({
      application: withEmail(email).application,
      proposer: { nik: '3204101501800006', fullName: 'Hendra Gunawan', phone: '+628111111111' },
    });
    const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
    const sent: Array<[string, () => request.Test, string, string]> = [
      [
        'a username with a NUL',
        () => http().post('/api/v1/auth/login').send({ username: 'a\u0000', password: 'x' }),
        'INVALID_TEXT',
        'username',
      ],
      ['a NUL in a query', () => http().get('/api/v1/registrations?status=a%00').set(op()), 'INVALID_TEXT', 'status'],
      [
        'a lone surrogate in a path',
        () => http().post('/api/v1/registrations/%ED%A0%80/submit').set(op()).send({}),
        'INVALID_TEXT',
        '(path)',
      ],
      ...(['mandiri', 'usul', 'POST', 'PUT'] as const).map((route): [string, () => request.Test, string, string] => [
        `contact.email "\\ud800" on ${route}`,
        () =>
          route === 'mandiri'
            ? http()
                .post('/api/v1/registrations/mandiri')
                .send({ channel: 'ONLINE', ...withEmail('\ud800') })
            : route === 'usul'
              ? http().post('/api/v1/registrations/usul').send(proposal('\ud800'))
              : route === 'POST'
                ? http().post('/api/v1/registrations').set(op()).send(withEmail('\ud800'))
                : http().put(`/api/v1/registrations/${caseId}/draft`).set(op()).send(withEmail('\ud800')),
        'INVALID_TEXT',
        'application.contact.email',
      ]),
    ];

    it.each(sent.map(([name, send, code, field]) => ({ name, send, code, field })))(
      '$name → 400 $code naming $field, nothing written',
      async ({ send, code, field }) => {
        const store = app.get<EventStore>(EVENT_STORE);
        await storeCaughtUp(app);
        const before = await store.headPosition();
        const res = await send();
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, code, details: [{ field }] });
        expect(res.body.message).toMatch(/tidak valid/);
        expect(res.body.messageEn).toMatch(/invalid/);
        await storeCaughtUp(app);
        expect(await writtenAfter(store, before)).toEqual([]);
      },
    );

    it(`arrays nested 1,500 deep → 400 JSON_TOO_DEEP on every JSON route (${MAX_JSON_DEPTH} levels pass the check)`, async () => {
      const doc = (await http().get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
      const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['post', 'put', 'patch'].includes(m))
          .map((method) => ({ method: method as 'post', path: path.replace(/\{[^}]+\}/g, caseId) })),
      );
      expect(routes.length).toBeGreaterThan(30);
      const answers: string[] = [];
      for (const { method, path } of routes) {
        for (const body of [deep(1500), `{"reason": ${deep(1500)}}`]) {
          const res = await http()[method](path).set(op()).set('Content-Type', 'application/json').send(body);
          answers.push(`${method} ${path} → ${res.status} ${res.body.code}`);
        }
      }
      expect(answers.filter((a) => !/→ 400 JSON_TOO_DEEP$/.test(a))).toEqual([]);
      // The limit itself: one level more than allowed is refused, the limit is not (it fails validation instead).
      const at = (levels: number) =>
        http()
          .post(`/api/v1/registrations/${caseId}/withdrawal`)
          .set(op())
          .set('Content-Type', 'application/json')
          .send(`{"reason": ${deep(levels - 1)}}`);
      expect((await at(MAX_JSON_DEPTH + 1)).body.code).toBe('JSON_TOO_DEEP');
      expect((await at(MAX_JSON_DEPTH)).body.code).toBe('VALIDATION_FAILED');
    });
  });

  it('a Dukcapil extract with a bad row imports nothing and names the row and column, not the value (or, partial, the rest)', async () => {
    const admin = { Authorization: `Bearer ${t.admin}` };
    const csv = [
      'nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa',
      '3204101501800099,3204100203190003,ORANG BARU,1980-01-15,L,32.04.10.2001',
      '3204101501809999,3204100203190003,SALAH,1980-01-16,L,32.04.10.2001',
    ].join('\n');
    const res = await http().post('/api/v1/dukcapil/imports').set(admin).set('Content-Type', 'text/csv').send(csv).expect(422);
    expect(res.body).toMatchObject({
      code: 'EXTRACT_INVALID',
      details: [{ line: 3, column: 'tanggal_lahir', code: 'BIRTH_DATE' }],
    });
    expect(JSON.stringify(res.body)).not.toContain('SALAH');
    const rows = await ctx.app
      .get(DataSource)
      .query(`select count(*)::int as n from dukcapil_residents where nik = '3204101501800099'`);
    expect(rows[0].n).toBe(0);

    // With partial=true the good row goes in, and the bad one is reported and left out.
    const partial = await http()
      .post('/api/v1/dukcapil/imports?partial=true')
      .set(admin)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    expect(partial.body).toMatchObject({
      imported: true,
      rows: 1,
      rejectedRows: 1,
      rejected: [{ line: 3, column: 'tanggal_lahir', code: 'BIRTH_DATE' }],
    });
    expect(JSON.stringify(partial.body)).not.toContain('SALAH');
    const after = await ctx.app
      .get(DataSource)
      .query(`select nik from dukcapil_residents where nik in ('3204101501800099', '3204101501809999')`);
    expect(after).toEqual([{ nik: '3204101501800099' }]);
  });
});
