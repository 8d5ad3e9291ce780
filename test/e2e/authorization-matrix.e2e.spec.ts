import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PERMISSIONS } from '../../src/auth/policy';
import { APPEAL_TRANSITIONS } from '../../src/appeals/appeal';
import { STATUS_CHANGE_TRANSITIONS } from '../../src/status-changes/status-change';
import { periodOf } from '../../src/programs/program-rules';
import { Role, ROLES } from '../../src/auth/roles';
import { ACTION_ROUTES, RoutedAction } from '../../src/registration/registration-routes';
import { APPROVAL_LEVELS, rolesFor, VervalAction } from '../../src/registration/verval-state-machine';
import { POOR } from '../registration/fixtures';
import { startTestApp } from '../support/app';
import { budiHousehold, DEMO_PASSWORD, files, signIn, sriHousehold } from '../support/api';
import { establishOverHttp, openCasesOn } from '../support/flows';

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
const BELOW_REGENCY: readonly Role[] = ['operator_desa', 'pendamping'];
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
  let householdId: string;
  let changeId: string;
  let appealId: string;
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
    // A household of the in-region village, with an open status change and an appeal assigned to dinsos.
    householdId = (await establishOverHttp(app, tokens, sriHousehold(), 4)).householdId;
    const as = (u: string) => ({ Authorization: `Bearer ${tokens[u]}` });
    ({ changeId, appealId } = await openCasesOn(app, tokens, householdId));
    await http().post(`/api/v1/appeals/${appealId}/assignment`).set(as('dinsos')).send({}).expect(200);
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

  const rolesOf = (rows: ReadonlyArray<{ action: string; roles: readonly Role[] }>, action: string) =>
    rows.find((r) => r.action === action)!.roles;
  const PERIOD = periodOf(new Date().toISOString().slice(0, 10));
  const UNKNOWN_BATCH = '00000000-0000-4000-8000-000000000000';
  const OTHER: Array<{
    name: string;
    roles: readonly Role[];
    /** true: the village's; 'regency': the regency's (beyond a village operator's or social worker's region). */
    regional: boolean | 'regency';
    applicant?: boolean;
    send: (h: Record<string, string>) => request.Test;
  }> = [
    {
      name: 'POST /api/v1/registrations (create a draft)',
      roles: PERMISSIONS['registrations:create'],
      regional: true,
      send: (h) => http().post('/api/v1/registrations').set(h).send(budiHousehold('KANTOR_DESA')),
    },
    {
      name: 'GET /api/v1/registrations/:id (read a case; the applicant reads their own)',
      roles: PERMISSIONS['registrations:read'],
      regional: true,
      applicant: true,
      send: (h) => http().get(`/api/v1/registrations/${caseId}`).set(h),
    },
    {
      name: 'POST /api/v1/documents (upload evidence)',
      roles: PERMISSIONS['documents:upload'],
      regional: false,
      send: (h) => http().post('/api/v1/documents').set(h).set('Content-Type', 'application/pdf').send(files.pdf(5)),
    },
    {
      name: 'POST /api/v1/dukcapil/imports',
      roles: PERMISSIONS['dukcapil:import'],
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
      roles: PERMISSIONS['users:manage'],
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
    {
      name: 'GET /api/v1/households/:id',
      roles: PERMISSIONS['households:read'],
      regional: true,
      send: (h) => http().get(`/api/v1/households/${householdId}`).set(h),
    },
    {
      name: 'POST /api/v1/households/:id/status-changes (request)',
      roles: rolesOf(STATUS_CHANGE_TRANSITIONS, 'request'),
      regional: true,
      send: (h) =>
        http().post(`/api/v1/households/${householdId}/status-changes`).set(h).send({ kind: 'SUDAH_MAMPU', reason: 'r' }),
    },
    {
      name: 'GET /api/v1/status-changes/:id',
      roles: PERMISSIONS['households:read'],
      regional: true,
      send: (h) => http().get(`/api/v1/status-changes/${changeId}`).set(h),
    },
    {
      name: 'POST /api/v1/status-changes/:id/decision',
      roles: rolesOf(STATUS_CHANGE_TRANSITIONS, 'reject'),
      regional: true,
      send: (h) => http().post(`/api/v1/status-changes/${changeId}/decision`).set(h).send({ approve: false, reason: 'r' }),
    },
    {
      name: 'POST /api/v1/appeals (file, against a ranking)',
      roles: rolesOf(APPEAL_TRANSITIONS, 'file'),
      regional: true,
      send: (h) => http().post('/api/v1/appeals').set(h).send({ type: 'RANKING', householdId, reason: 'r' }),
    },
    {
      name: 'GET /api/v1/appeals/:id',
      roles: PERMISSIONS['households:read'],
      regional: true,
      send: (h) => http().get(`/api/v1/appeals/${appealId}`).set(h),
    },
    {
      name: 'POST /api/v1/appeals/:id/assignment',
      roles: rolesOf(APPEAL_TRANSITIONS, 'assign'),
      regional: true,
      send: (h) => http().post(`/api/v1/appeals/${appealId}/assignment`).set(h).send({}),
    },
    {
      name: 'POST /api/v1/appeals/:id/decision (the assigned caseworker)',
      roles: rolesOf(APPEAL_TRANSITIONS, 'dismiss'),
      regional: true,
      send: (h) => http().post(`/api/v1/appeals/${appealId}/decision`).set(h).send({ uphold: false, reason: 'r' }),
    },
    {
      name: 'PUT /api/v1/programs/:code/quotas/:regency/:period (dry run)',
      roles: PERMISSIONS['programs:set-quota'],
      regional: 'regency',
      send: (h) => http().put(`/api/v1/programs/PKH/quotas/32.04/${PERIOD}`).set(h).send({ quota: 3, dryRun: true }),
    },
    {
      name: 'POST /api/v1/programs/:code/rule-preview/:regency/:period',
      roles: PERMISSIONS['programs:set-quota'],
      regional: 'regency',
      send: (h) =>
        http()
          .post(`/api/v1/programs/PKH/rule-preview/32.04/${PERIOD}`)
          .set(h)
          .send({
            version: '2027.1',
            effectiveFrom: '2027-01-01',
            maxDesil: 4,
            classes: ['SANGAT_MISKIN'],
            anyOf: ['childUnder6'],
          }),
    },
    {
      name: 'POST /api/v1/programs/:code/lists/:regency/:period/approval',
      roles: PERMISSIONS['programs:approve-list'],
      regional: 'regency',
      send: (h) => http().post(`/api/v1/programs/PIP/lists/32.04/2030-Q1/approval`).set(h).send({ reason: 'r' }),
    },
    {
      name: 'GET /api/v1/programs/:code/lists/:regency/:period',
      roles: PERMISSIONS['programs:read-list'],
      regional: 'regency',
      send: (h) => http().get(`/api/v1/programs/PKH/lists/32.04/${PERIOD}`).set(h),
    },
    {
      name: 'POST /api/v1/signals/imports',
      roles: PERMISSIONS['signals:import'],
      regional: false,
      send: (h) =>
        http().post('/api/v1/signals/imports').set(h).set('Content-Type', 'text/csv').send('nik,sinyal,nilai,tanggal\n'),
    },
    {
      name: 'POST /api/v1/households/:id/erasure-requests (UU PDP erasure; a second officer decides)',
      roles: PERMISSIONS['erasure:request'],
      regional: true,
      send: (h) =>
        http()
          .post(`/api/v1/households/${householdId}/erasure-requests`)
          .set(h)
          .send({ legalBasis: 'PERMINTAAN_SUBJEK', reason: 'Permintaan tertulis subjek data, surat nomor 7' }),
    },
    {
      name: 'GET /api/v1/batches/:id',
      roles: PERMISSIONS['batches:revert'],
      regional: false,
      send: (h) => http().get(`/api/v1/batches/${UNKNOWN_BATCH}`).set(h),
    },
    {
      name: 'POST /api/v1/batches/:id/reversal',
      roles: PERMISSIONS['batches:revert'],
      regional: false,
      send: (h) => http().post(`/api/v1/batches/${UNKNOWN_BATCH}/reversal`).set(h).send({ reason: 'Batch keliru' }),
    },
  ];

  it.each(OTHER)('$name', async ({ roles, regional, applicant, send }) => {
    const failures: string[] = [];
    for (const p of principals) {
      const res = await send(p.headers);
      const staffAllowed = p.role !== 'pemohon' && roles.includes(p.role);
      const withinRegion = p.inRegion && !(regional === 'regency' && BELOW_REGENCY.includes(p.role));
      const allowed = (staffAllowed || (p.role === 'pemohon' && !!applicant)) && (withinRegion || !regional);
      const denied = res.status === 401 || res.status === 403 || (p.role === 'pemohon' && res.status === 404);
      if (denied === allowed) failures.push(`${label(p)}: got ${res.status} ${res.body.code}`);
      if (allowed && res.status >= 500) failures.push(`${label(p)}: ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('covers every role', () => {
    expect(new Set(principals.map((p) => p.role))).toEqual(new Set(ROLES));
  });
});
