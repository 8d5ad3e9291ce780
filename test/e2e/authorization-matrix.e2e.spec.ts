import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { authorizePermission, Permission } from '../../src/auth/policy';
import { Role, ROLES } from '../../src/auth/roles';
import { ACTION_ROUTES, RoutedAction } from '../../src/registration/registration-routes';
import { APPROVAL_LEVELS, rolesFor, VervalAction } from '../../src/registration/verval-state-machine';
import { POOR } from '../registration/fixtures';
import { startTestApp } from '../support/app';
import { budiHousehold, DEMO_PASSWORD, files, signIn } from '../support/api';

/**
 * Every role × in-region / out-of-region × every command endpoint. Allowed means the policy let
 * the request through (whatever the case's state then says); denied means 403 (or 401 for an
 * applicant on a staff-only route). Expectations come from the state machine table and the
 * permission list, so a change there changes what this test demands.
 */
const OUT_OF_REGION: Partial<Record<Role, string>> = {
  operator_desa: '32.73.01.1001',
  pendamping: '32.73.01',
  dinsos: '32.73',
  verifikator_provinsi: '33',
};
const IN_REGION_USER: Record<Exclude<Role, 'pemohon'>, string> = {
  operator_desa: 'operator.desa',
  pendamping: 'pendamping',
  dinsos: 'dinsos',
  verifikator_provinsi: 'verifikator.provinsi',
  kemensos: 'kemensos',
  auditor: 'auditor',
  admin: 'admin',
};
const APPLICANT_ROUTES: readonly VervalAction[] = ['saveDraft', 'attachDocument', 'submit', 'resubmitDocuments', 'withdraw'];

interface Principal {
  role: Role;
  inRegion: boolean;
  headers: Record<string, string>;
}

describe('authorisation matrix: role × region × command endpoint', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let caseId: string;
  let evidenceSha: string;
  const principals: Principal[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    const tokens = await signIn(app);
    for (const [role, region] of Object.entries(OUT_OF_REGION)) {
      await http()
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${tokens.admin}`)
        .send({ username: `luar.${role}`, displayName: 'Luar wilayah', password: DEMO_PASSWORD, role, regionCode: region })
        .expect(201);
    }
    const outTokens = await signIn(
      app,
      Object.keys(OUT_OF_REGION).map((r) => `luar.${r}`),
    );
    for (const [role, username] of Object.entries(IN_REGION_USER))
      principals.push({ role: role as Role, inRegion: true, headers: { Authorization: `Bearer ${tokens[username]}` } });
    for (const role of Object.keys(OUT_OF_REGION))
      principals.push({ role: role as Role, inRegion: false, headers: { Authorization: `Bearer ${outTokens[`luar.${role}`]}` } });
    const online = await http().post('/api/v1/registrations/mandiri').send(budiHousehold()).expect(201);
    const other = await http().post('/api/v1/registrations/mandiri').send(budiHousehold()).expect(201);
    caseId = online.body.caseId;
    principals.push({ role: 'pemohon', inRegion: true, headers: { 'X-Resume-Token': online.body.resumeToken } });
    principals.push({ role: 'pemohon', inRegion: false, headers: { 'X-Resume-Token': other.body.resumeToken } });
    evidenceSha = (
      await http()
        .post('/api/v1/documents')
        .set('Authorization', `Bearer ${tokens.dinsos}`)
        .set('Content-Type', 'image/jpeg')
        .send(files.jpeg(42))
        .expect(201)
    ).body.sha256;
  });
  afterAll(() => ctx.close());

  const label = (p: Principal) => `${p.role}${p.inRegion ? '' : ' (out of region)'}`;

  function verval(action: RoutedAction): { query?: string; type?: string; body: object | Buffer } {
    const bodies: Record<RoutedAction, object> = {
      saveDraft: budiHousehold(),
      attachDocument: {},
      submit: {},
      checkDocuments: { complete: true },
      resubmitDocuments: {},
      validate: { valid: true, fieldVisitRequired: false },
      recordFieldVerification: {
        visitedOn: '2026-01-01',
        indicators: POOR,
        evidence: [{ kind: 'document', sha256: evidenceSha }],
      },
      assessEligibility: {},
      proposeOverride: { outcome: 'layak', reason: 'r', evidence: [{ kind: 'document', sha256: evidenceSha }] },
      decideOverride: { approve: true, reason: 'r' },
      decideMusdes: { approve: true, evidence: [{ kind: 'document', sha256: evidenceSha }] },
      decideRegency: { approve: true },
      decideProvince: { approve: true },
      establish: { approve: true },
      withdraw: { reason: 'r' },
    };
    return action === 'attachDocument'
      ? { query: '?kind=KK', type: 'image/jpeg', body: files.jpeg(7) }
      : { body: bodies[action] };
  }

  it.each(Object.keys(ACTION_ROUTES) as RoutedAction[])('verval action %s', async (action) => {
    const route = ACTION_ROUTES[action];
    const { query, type, body } = verval(action);
    const outcomes: string[] = [];
    for (const p of principals) {
      const url = `/api/v1/registrations/${route.path.replace(':id', caseId)}${query ?? ''}`;
      let req = (route.method === 'PUT' ? http().put(url) : http().post(url)).set(p.headers);
      if (type) req = req.set('Content-Type', type);
      const res = await req.send(body as object);
      const allowed = rolesFor(action).includes(p.role) && p.inRegion;
      const expected = allowed ? 'allowed' : p.role === 'pemohon' && !APPLICANT_ROUTES.includes(action) ? 401 : 403;
      const got = res.status === 401 || res.status === 403 ? res.status : 'allowed';
      outcomes.push(`${label(p)}: ${got === expected ? 'ok' : `expected ${expected}, got ${res.status} ${res.body.code}`}`);
      if (allowed) expect(res.body.code ?? 'OK').not.toMatch(/VALIDATION_FAILED|BAD_REQUEST/);
    }
    expect(outcomes.filter((o) => !o.endsWith(': ok'))).toEqual([]);
  });

  it.each(APPROVAL_LEVELS)('batch decision %s (POST /api/v1/verval/batches)', async (action) => {
    const failures: string[] = [];
    for (const p of principals.filter((x) => x.role !== 'pemohon')) {
      const res = await http()
        .post('/api/v1/verval/batches')
        .set(p.headers)
        .send({ action, approve: true, regionCode: '32.04.10.2001', dryRun: true });
      const allowed = rolesFor(action).includes(p.role) && p.inRegion;
      if ((res.status === 403) === allowed) failures.push(`${label(p)}: got ${res.status} ${res.body.code}`);
    }
    expect(failures).toEqual([]);
  });

  const OTHER: Array<{
    name: string;
    permission: Permission;
    regional: boolean;
    applicant?: boolean;
    send: (h: Record<string, string>) => request.Test;
  }> = [
    {
      name: 'POST /api/v1/registrations (create a draft)',
      permission: 'registrations:create',
      regional: true,
      send: (h) => http().post('/api/v1/registrations').set(h).send(budiHousehold('KANTOR_DESA')),
    },
    {
      name: 'GET /api/v1/registrations/:id (read a case; the applicant reads their own)',
      permission: 'registrations:read',
      regional: true,
      applicant: true,
      send: (h) => http().get(`/api/v1/registrations/${caseId}`).set(h),
    },
    {
      name: 'POST /api/v1/documents (upload evidence)',
      permission: 'documents:upload',
      regional: false,
      send: (h) => http().post('/api/v1/documents').set(h).set('Content-Type', 'application/pdf').send(files.pdf(5)),
    },
    {
      name: 'POST /api/v1/dukcapil/imports',
      permission: 'dukcapil:import',
      regional: false,
      send: (h) =>
        http()
          .post('/api/v1/dukcapil/imports')
          .set(h)
          .set('Content-Type', 'text/csv')
          .send('nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa\n'),
    },
    {
      name: 'POST /api/v1/users',
      permission: 'users:manage',
      regional: false,
      send: (h) =>
        http()
          .post('/api/v1/users')
          .set(h)
          .send({
            username: `u${Math.random().toString(36).slice(2, 8)}`,
            displayName: 'x',
            password: 'x'.repeat(12),
            role: 'auditor',
            regionCode: '',
          }),
    },
  ];

  it.each(OTHER)('$name', async ({ permission, regional, applicant, send }) => {
    const failures: string[] = [];
    for (const p of principals) {
      const res = await send(p.headers);
      const staffAllowed =
        p.role !== 'pemohon' && !authorizePermission({ userId: 'x', role: p.role, region: '' }, permission, '');
      const allowed = (staffAllowed || (p.role === 'pemohon' && !!applicant)) && (p.inRegion || !regional);
      const denied = res.status === 401 || res.status === 403 || (p.role === 'pemohon' && res.status === 404);
      if (denied === allowed) failures.push(`${label(p)}: got ${res.status} ${res.body.code}`);
    }
    expect(failures).toEqual([]);
  });

  it('covers every role', () => {
    expect(new Set(principals.map((p) => p.role))).toEqual(new Set(ROLES));
  });
});
