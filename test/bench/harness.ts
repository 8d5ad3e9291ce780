import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { withDatabaseName } from '../../src/database/urls';

export interface BenchRow {
  readonly benchmark: string;
  readonly variant: string;
  readonly writers?: number;
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly note?: string;
}

/** Runs `op` from `writers` concurrent loops for `seconds`; returns throughput and latencies. */
export async function runConcurrent(
  writers: number,
  seconds: number,
  op: (writer: number, i: number) => Promise<void>,
): Promise<{ operations: number; seconds: number; perSecond: number; p50Ms: number; p99Ms: number }> {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const t0 = process.hrtime.bigint();
        await op(w, i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]);
  return {
    operations: latencies.length,
    seconds: round(elapsed),
    perSecond: Math.round(latencies.length / elapsed),
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
  };
}

/**
 * An open-loop load: operation i starts at `i / rate` seconds whatever the others do, and its
 * latency counts from that scheduled moment (a slow server is not let off by sending less).
 */
export async function runAtRate(
  rate: number,
  seconds: number,
  op: (i: number) => Promise<boolean>,
): Promise<{ operations: number; seconds: number; perSecond: number; p50Ms: number; p99Ms: number; failed: number }> {
  const total = Math.round(rate * seconds);
  // The generator's own leftover garbage is not the server's latency: collect it first (npm run bench exposes gc).
  (globalThis as { gc?: () => void }).gc?.();
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      op(i).then(
        (ok) => {
          if (!ok) failed++;
          latencies.push(performance.now() - due);
        },
        () => {
          failed++;
          latencies.push(performance.now() - due);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]);
  return {
    operations: total,
    seconds: round(elapsed),
    perSecond: Math.round(total / elapsed),
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    failed,
  };
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function printTable(title: string, rows: readonly BenchRow[]): void {
  const header = ['benchmark', 'variant', 'writers', 'ops', 'seconds', 'ops/s', 'p50 ms', 'p99 ms', 'note'];
  const cells = rows.map((r) => [
    r.benchmark,
    r.variant,
    r.writers === undefined ? '' : String(r.writers),
    String(r.operations),
    String(r.seconds),
    String(r.perSecond),
    r.p50Ms === undefined ? '' : String(r.p50Ms),
    r.p99Ms === undefined ? '' : String(r.p99Ms),
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((v, i) => v.padEnd(widths[i])).join(' | ');
  process.stdout.write(
    `\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${cells.map(line).join('\n')}\n`,
  );
}

/** Writes the rows with the machine they were measured on, under bench-results/. */
export function writeResults(name: string, rows: readonly BenchRow[], extra: Record<string, unknown> = {}): string {
  const dir = path.resolve(__dirname, '../../bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
  fs.writeFileSync(file, JSON.stringify({ name, measuredAt: new Date().toISOString(), machine, ...extra, rows }, null, 2) + '\n');
  return file;
}

/** Removes an embedded server's data folder and the files it keeps beside it. */
export function removeServerFolders(dataDir: string): void {
  for (const p of [
    dataDir,
    `${path.dirname(dataDir)}/.${path.basename(dataDir)}-password`,
    `${path.dirname(dataDir)}/.${path.basename(dataDir)}-socket`,
  ]) {
    fs.rmSync(p, { recursive: true, force: true });
  }
}

/** A running process's peak resident memory so far (Linux VmHWM), in MB. */
export function peakRssMb(pid: number): number | undefined {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  return hwm ? Math.round(Number(hwm[1]) / 1024) : undefined;
}

/** Runs a CLI command to its end, keeping its output and its peak resident memory. */
export function runCli(url: string, args: string[]): Promise<{ stdout: string; peakRssMb?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/cli/main.ts', ...args], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peak: number | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak ?? 0, peakRssMb(child.pid!) ?? 0);
      } catch {
        // exited between two samples
      }
    }, 200);
    child.on('exit', (code) => {
      clearInterval(sampler);
      if (code === 0) resolve({ stdout, peakRssMb: peak });
      else reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

export interface BenchDatabase {
  readonly url: string;
  /** The server's data folder, also a place for the benchmark's own files. */
  readonly dataDir: string;
  /** Stops the server and removes its folders. */
  stop(): Promise<void>;
}

/** A benchmark's own embedded PostgreSQL (fsync on, as in production) with one database, `bench_<name>`. */
export async function benchDatabase(name: string, settings: Record<string, string | number> = {}): Promise<BenchDatabase> {
  const dataDir = path.resolve(__dirname, '../../.data', `bench-${name}-${process.pid}`);
  const pg = await startEmbeddedPostgres({ dataDir, settings: { max_connections: 60, shared_buffers: '512MB', ...settings } });
  const database = `bench_${name.replace(/\W/g, '_')}`;
  const admin = new Client(pg.url);
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  return {
    url: withDatabaseName(pg.url, database),
    dataDir,
    stop: async () => {
      await pg.stop();
      removeServerFolders(dataDir);
    },
  };
}
