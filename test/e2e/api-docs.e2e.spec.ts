import * as fs from 'node:fs';
import request from 'supertest';
import { ACTION_ROUTES } from '../../src/registration/registration-routes';
import { VERVAL_TRANSITIONS } from '../../src/registration/verval-state-machine';
import { STATE_MACHINE_DOC, withDiagram } from '../../scripts/docs-state-machine';
import { startTestApp } from '../support/app';

describe('the state machine and the API, as served', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => (ctx = await startTestApp()));
  afterAll(() => ctx.close());

  it('GET /api/v1/verval/state-machine serves the table (public): states, transitions with roles, reasons, evidence and routes', async () => {
    const res = await request(ctx.app.getHttpServer()).get('/api/v1/verval/state-machine').expect(200);
    expect(res.body.transitions).toHaveLength(VERVAL_TRANSITIONS.length);
    expect(res.body.transitions).toContainEqual(
      expect.objectContaining({
        action: 'establish',
        outcome: 'approved',
        from: ['MENUNGGU_PENETAPAN'],
        to: 'DITETAPKAN',
        roles: ['kemensos'],
        route: { method: 'POST', path: '/api/v1/registrations/:id/establishment' },
      }),
    );
    expect(res.body.states.find((s: { code: string }) => s.code === 'PERLU_PERBAIKAN')).toMatchObject({
      label: { id: 'Perlu Perbaikan' },
      terminal: false,
    });
    expect(res.body.mermaid).toMatch(/^stateDiagram-v2/);
  });

  it('the OpenAPI document lists every command route', async () => {
    const res = await request(ctx.app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const { method, path } of Object.values(ACTION_ROUTES)) {
      const openApiPath = `/api/v1/registrations/${path.replace(':id', '{id}')}`;
      expect(res.body.paths[openApiPath]?.[method.toLowerCase()]).toBeDefined();
    }
    await request(ctx.app.getHttpServer()).get('/api/docs').expect(200);
  });

  it('docs/state-machine.md carries the diagram generated from the table (run npm run docs:state-machine after a change)', () => {
    const doc = fs.readFileSync(STATE_MACHINE_DOC, 'utf8');
    expect(withDiagram(doc)).toBe(doc);
  });
});
