import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createServer } from 'node:net';
import { budiHousehold, DEMO_PASSWORD } from '../support/api';
import { createTestDatabase, TEST_KEK } from '../support/database';

/**
 * The app as `npm start` runs it, in its own process: its output is JSON lines with a correlation
 * id per request and no personal data, and SIGTERM shuts it down cleanly (exit code 0).
 */
describe('structured logs and graceful shutdown', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ChildProcess;
  let base: string;
  let output = '';
  const documents = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-logs-'));

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: String(port),
        LOG_LEVEL: 'log',
        KEY_ENCRYPTION_KEY: TEST_KEK.toString('base64'),
        DOCUMENT_STORE_DIR: documents,
        DEMO_DATA: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    app.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let i = 0; i < 240; i++) {
      const up = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the app did not start:\n${output}`);
  }, 150_000);

  afterAll(async () => {
    if (app.exitCode === null) app.kill('SIGKILL');
    await db.drop();
    fs.rmSync(documents, { recursive: true, force: true });
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
      expect(output).not.toContain(secret);
  });

  it('SIGTERM drains and stops: the process exits with code 0 and says so', async () => {
    const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
    app.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: shutting down');
  }, 60_000);

  /** The app's JSON log lines, once one matches (its output arrives asynchronously). */
  async function waitForLines(match: (l: LogLine) => boolean): Promise<LogLine[]> {
    for (let i = 0; i < 50; i++) {
      const lines = output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine);
      if (lines.some(match)) return lines;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no matching log line in:\n${output}`);
  }
});

interface LogLine {
  req?: { id: string; method: string };
  route?: string;
  res?: { statusCode: number };
  role?: string;
  responseTime?: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
