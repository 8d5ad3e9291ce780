import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BenchRow, round, runAtRate } from './harness';
import type { LoadOrder } from './load-worker';

const ROOT = path.resolve(__dirname, '../..');
/** BENCH_APP_SOURCE=1 runs the app from its TypeScript sources (`npm start`) instead of the build a deployment runs. */
const FROM_SOURCE = process.env.BENCH_APP_SOURCE === '1';
const SCRIPT = FROM_SOURCE ? 'start' : 'start:prod';

/** The node flags the npm script gives the app (e.g. its young-generation size), so a benchmark runs it the same way. */
const START_FLAGS: string[] = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts[SCRIPT].split(' ').filter((a) => a.startsWith('--'));

/** Builds the app once per benchmark run (`npm run build`), unless it runs from source. */
let built = false;
function ensureBuilt(): void {
  if (FROM_SOURCE || built) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed');
  built = true;
}

/** The app in its own process as `npm run start:prod` runs it (or `npm start`), on `databaseUrl`, listening on `port`. */
export async function startBenchApp(
  databaseUrl: string,
  dataDir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  // To see where a request's time goes: BENCH_APP_PROFILE=<dir> writes the app's CPU profile (node --cpu-prof);
  // BENCH_APP_NODE_FLAGS adds node flags (e.g. --trace-gc) and BENCH_APP_STDOUT=<file> keeps the app's output.
  ensureBuilt();
  const profile = process.env.BENCH_APP_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_APP_PROFILE}`] : [];
  const child = spawn(
    process.execPath,
    [
      ...START_FLAGS,
      ...profile,
      ...(process.env.BENCH_APP_NODE_FLAGS?.split(' ') ?? []),
      ...(FROM_SOURCE ? ['-r', '@swc-node/register', 'src/main.ts'] : ['dist/src/main.js']),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DOCUMENT_STORE_DIR: path.join(dataDir, 'documents'),
        ERASURE_REGISTER_FILE: path.join(dataDir, 'erasure-register.jsonl'),
        DEMO_HOUSEHOLDS: '0', // a benchmark loads its own population
        ...env,
      },
      stdio: ['ignore', process.env.BENCH_APP_STDOUT ? fs.openSync(process.env.BENCH_APP_STDOUT, 'w') : 'ignore', 'inherit'],
    },
  );
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return child;
  }
  child.kill();
  throw new Error('the app did not start');
}

/** Stops the app with SIGTERM (its graceful shutdown), waiting at most 15 s. */
export async function stopBenchApp(app: ChildProcess | undefined): Promise<void> {
  agent.destroy();
  if (!app || app.exitCode !== null) return;
  const exited = new Promise((r) => app.once('exit', r));
  app.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
}

/** A demo user's access token. */
export async function signIn(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: process.env.DEMO_PASSWORD ?? 'demo-bansos-2026' }),
  });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export interface BenchRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface Answer {
  readonly status: number;
  /** The app's own time, from its Server-Timing header. */
  readonly serverMs: number;
  readonly body: string;
}

/** The clients' connections, kept across runs as real clients keep them (a new pool per run measured its ramp-up). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * A fixed request rate for a duration, open loop, each request built by `request(i)`; `answered`
 * sees each answer (e.g. to remember a created case).
 */
export async function load(
  base: string,
  rate: number,
  seconds: number,
  request: (i: number) => BenchRequest,
  answered: (i: number, answer: Answer) => void = () => undefined,
): Promise<{ row: Omit<BenchRow, 'benchmark' | 'variant'>; note: string }> {
  const failures = new Map<string, number>();
  const serverMs: number[] = [];
  const { failed, ...row } = await runAtRate(rate, seconds, async (i) => {
    const answer = await send(base, request(i)).catch((err: Error) => err.message);
    const status = typeof answer === 'string' ? answer : answer.status;
    if (typeof answer !== 'string') {
      serverMs.push(answer.serverMs);
      answered(i, answer);
    }
    const ok = typeof status === 'number' && status < 300;
    if (!ok) failures.set(String(status), (failures.get(String(status)) ?? 0) + 1);
    return ok;
  });
  const why = [...failures].map(([status, n]) => `${n}× ${status}`).join(', ');
  // The app's own time: what the tail owes to the app and what to the machine around it.
  serverMs.sort((a, b) => a - b);
  const server = (p: number) => round(serverMs[Math.min(serverMs.length - 1, Math.floor(serverMs.length * p))]);
  return {
    row,
    note: `open loop at ${rate}/s; ${failed} failed${why ? ` (${why})` : ''}; in the app p50 ${server(0.5)} ms, p99 ${server(0.99)} ms`,
  };
}

/** One request on the keep-alive agent (lighter than fetch: the load generator shares the machine). */
function send(base: string, r: BenchRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${r.path}`, { method: r.method, headers: r.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const serverMs = Number(/dur=([\d.]+)/.exec(String(res.headers['server-timing']))?.[1] ?? NaN);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, serverMs, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

type LoadResult = Awaited<ReturnType<typeof load>>;

/**
 * A load generator in a thread of its own: its own small heap and garbage collector, so the
 * benchmark process's large heap (a generated population, faker's data) never pauses the clock
 * that measures the app. Takes its requests ready-made, since a function cannot cross threads.
 */
export class LoadClient {
  private readonly worker = new Worker("require('@swc-node/register'); require(require('node:worker_threads').workerData.file)", {
    eval: true,
    workerData: { file: path.join(__dirname, 'load-worker.ts') },
  });

  run(order: LoadOrder): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.once('message', (m: { result?: LoadResult; error?: string }) => {
        this.worker.off('error', reject); // one listener per run, not one more each time
        if (m.result) resolve(m.result);
        else reject(new Error(m.error));
      });
      this.worker.postMessage(order);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
