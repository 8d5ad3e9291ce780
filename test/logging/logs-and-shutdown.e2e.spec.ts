import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { budiHousehold, DEMO_PASSWORD } from '../support/api';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase } from '../support/database';
import { DEMO_REGION, DEMO_SEED } from '../../src/demo/demo-data';
import { readIdnAreaData } from '../../src/reference/idn-area-data';
import { generatePopulation } from '../../src/synthetic/population';

/**
 * The app as `npm start` runs it, in its own process, on an empty database: it loads the demo
 * population, its output is JSON lines with a correlation id per request and no personal data,
 * and SIGTERM shuts it down cleanly (exit code 0).
 */
describe('structured logs and graceful shutdown', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: AppProcess;
  let base: string;
  const documents = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-logs-'));

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startAppProcess(db.url, { LOG_LEVEL: 'log', DOCUMENT_STORE_DIR: documents, DEMO_HOUSEHOLDS: '200' });
    base = app.base;
  }, 150_000);

  afterAll(async () => {
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
    await db.drop();
    fs.rmSync(documents, { recursive: true, force: true });
  });

  it('on an empty database loads the synthetic demo population, whose cases reach the operator’s queue', async () => {
    expect(app.output()).toContain('demo population: 200 households');
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dinsos', password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    let total = 0;
    for (let i = 0; i < 60 && total === 0; i++, await new Promise((r) => setTimeout(r, 500))) {
      const queue = await fetch(`${base}/api/v1/work-queue`, { headers: { authorization: `Bearer ${accessToken}` } });
      total = ((await queue.json()) as { total: number }).total;
    }
    expect(total).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const villages = readIdnAreaData()
      .filter((r) => r.level === 'desa' && r.code.startsWith(`${DEMO_REGION}.`))
      .map((r) => r.code);
    const population = generatePopulation({ seed: DEMO_SEED, households: 200, villageCodes: villages, today });
    for (const h of [...population].slice(0, 25))
      for (const m of h.members)
        for (const secret of [m.nik, m.fullName, h.kkNumber, h.address]) expect(app.output()).not.toContain(secret);
  });

  it('logs each request as one JSON line with its correlation id, never the personal data it carried', async () => {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator.desa', password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const created = await fetch(`${base}/api/v1/registrations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${accessToken}`,
        'x-request-id': 'uji-korelasi-0001',
      },
      body: JSON.stringify(budiHousehold('KANTOR_DESA')),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('uji-korelasi-0001');
    const caseId = ((await created.json()) as { caseId: string }).caseId;
    const generated = await fetch(`${base}/api/v1/registrations/${caseId}?q=3204101203850001`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const lines = await waitForLines((l) => l.req?.id === 'uji-korelasi-0001');
    const line = lines.find((l) => l.req?.id === 'uji-korelasi-0001')!;
    expect(line).toMatchObject({
      req: { method: 'POST' },
      route: '/api/v1/registrations',
      res: { statusCode: 201 },
      role: 'operator_desa',
    });
    expect(typeof line.responseTime).toBe('number');
    for (const secret of ['3204101203850001', '3204100101200001', 'Budi', 'Santoso', 'Jl. Contoh', caseId, accessToken])
      expect(app.output()).not.toContain(secret);
  });

  it('SIGTERM drains and stops: the process exits with code 0 and says so', async () => {
    app.child.kill('SIGTERM');
    expect(await app.exited()).toBe(0);
    expect(app.output()).toContain('SIGTERM: shutting down');
  }, 60_000);

  /** The app's JSON log lines, once one matches (its output arrives asynchronously). */
  async function waitForLines(match: (l: LogLine) => boolean): Promise<LogLine[]> {
    for (let i = 0; i < 50; i++) {
      const lines = app
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine);
      if (lines.some(match)) return lines;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no matching log line in:\n${app.output()}`);
  }
});

interface LogLine {
  req?: { id: string; method: string };
  route?: string;
  res?: { statusCode: number };
  role?: string;
  responseTime?: number;
}
