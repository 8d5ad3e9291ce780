import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { DEMO_VILLAGE } from '../../src/auth/demo-users';
import { comparePositions, GlobalPosition, parsePosition } from '../../src/event-store/position';
import { applicationOf, generatePopulation, SyntheticHousehold } from '../../src/synthetic/population';
import { BenchRow, benchDatabase, round } from './harness';
import { Answer, BenchRequest, load, signIn, startBenchApp, stopBenchApp } from './http-load';

const RATES = (process.env.BENCH_COMMAND_RATES ?? '25,50,100').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_COMMAND_SECONDS ?? 20);
const WARM_UP_SECONDS = 5;
const PORT = 3800 + (process.pid % 90);
const POLL_MS = 10;

/**
 * Registration over HTTP at fixed rates, as a village office works: drafts created and submitted
 * (each submit checks the population registry and claims the members' NIKs in one atomic append),
 * the case read back and the work queue listed: half writes, half reads. Beside it, its reference:
 * a read that touches no database (the region list) at the same rate, the HTTP stack's floor.
 * Meanwhile every answered write's position is followed until every projection has passed it:
 * the projection lag, from the answer to the moment the read models show the write.
 */
export async function commandsBenchmark(): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const server = await benchDatabase('commands');
  const { url, dataDir } = server;
  let app: ChildProcess | undefined;
  try {
    const base = `http://127.0.0.1:${PORT}`;
    app = await startBenchApp(url, dataDir, PORT);
    const households = [
      ...generatePopulation({
        seed: 31,
        households: Math.ceil((RATES.reduce((n, r) => n + r, 0) * SECONDS + RATES[0] * WARM_UP_SECONDS) / 2) + 100,
        villageCodes: [DEMO_VILLAGE],
        today: new Date().toISOString().slice(0, 10),
      }),
    ];
    await importExtract(base, await signIn(base, 'admin'), households);
    const workload = new RegistrationWorkload(households, await signIn(base, 'operator.desa'));
    const lag = await ProjectionLag.watch(url);
    const rows: BenchRow[] = [];
    await load(base, RATES[0], WARM_UP_SECONDS, workload.request, workload.answered); // JIT and pools warm, not measured
    for (const rate of RATES) {
      lag.reset();
      const mix = await load(base, rate, SECONDS, workload.request, (i, a) => {
        workload.answered(i, a);
        if (a.status < 300 && workload.isWrite(i)) lag.follow(a);
      });
      const lagged = await lag.settle();
      rows.push({
        benchmark: 'registration over HTTP: half writes (draft, submit), half reads (case, work queue)',
        variant: `${rate}/s`,
        ...mix.row,
        note: `${mix.note}; projection lag p50 ${lagged.p50Ms} ms, p99 ${lagged.p99Ms} ms over ${lagged.writes} writes (every projection)`,
      });
      const floor = await load(base, rate, SECONDS / 2, () => ({ method: 'GET', path: '/api/v1/regions', headers: {} }));
      rows.push({
        benchmark: 'reference: the HTTP floor (region list, no database)',
        variant: `${rate}/s`,
        ...floor.row,
        note: floor.note,
      });
    }
    await lag.stop();
    const submitted = Object.fromEntries(workload.submitted);
    return { rows, extra: { rates: RATES, seconds: SECONDS, submitted, goals: { projectionLagP99Ms: 250 } } };
  } finally {
    await stopBenchApp(app);
    await server.stop();
  }
}

/** The population-registry extract the submits are checked against. */
async function importExtract(base: string, token: string, households: readonly SyntheticHousehold[]): Promise<void> {
  const lines = households.flatMap((h) =>
    h.members.map((m) => [m.nik, h.kkNumber, m.fullName.toUpperCase(), m.birthDate, m.sex, h.villageCode].join(',')),
  );
  const res = await fetch(`${base}/api/v1/dukcapil/imports`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
    body: ['nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa', ...lines].join('\n'),
  });
  if (res.status !== 201) throw new Error(`Dukcapil import: ${res.status} ${await res.text()}`);
}

/**
 * The request mix, in a cycle of four: create a draft; submit the oldest draft not yet submitted
 * (or create one when none is ready); read a case back; list the work queue.
 */
class RegistrationWorkload {
  private next = 0;
  private readonly drafts: string[] = [];
  private readonly cases: string[] = [];
  private readonly headers: Record<string, string>;

  constructor(
    private readonly households: readonly SyntheticHousehold[],
    token: string,
  ) {
    this.headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  }

  isWrite = (i: number): boolean => i % 4 < 2;

  request = (i: number): BenchRequest => {
    if (i % 4 === 1 && this.drafts.length) return this.post(`/api/v1/registrations/${this.drafts.shift()}/submit`, {});
    if (i % 4 < 2) return this.post('/api/v1/registrations', this.draft(this.households[this.next++ % this.households.length]));
    if (i % 4 === 2 && this.cases.length)
      return { method: 'GET', path: `/api/v1/registrations/${this.cases[i % this.cases.length]}`, headers: this.headers };
    return { method: 'GET', path: '/api/v1/work-queue?pageSize=50', headers: this.headers };
  };

  /** Submit outcomes by stage: a submit whose registry check failed would be a cheaper command. */
  readonly submitted = new Map<string, number>();

  answered = (i: number, answer: Answer): void => {
    if (answer.status === 200 && i % 4 === 1) {
      const { status } = JSON.parse(answer.body) as { status: string };
      this.submitted.set(status, (this.submitted.get(status) ?? 0) + 1);
    }
    if (answer.status !== 201) return;
    const { caseId } = JSON.parse(answer.body) as { caseId: string };
    this.drafts.push(caseId);
    this.cases.push(caseId);
  };

  private post(path: string, body: object): BenchRequest {
    return { method: 'POST', path, headers: this.headers, body: JSON.stringify(body) };
  }

  private draft(h: SyntheticHousehold): object {
    return { channel: 'KANTOR_DESA', application: applicationOf(h) };
  }
}

/**
 * Follows answered writes until every projection's checkpoint has passed them, polling the
 * checkpoints every POLL_MS: the lag of a write is the time from its answer to that moment.
 */
class ProjectionLag {
  private pending: { position: GlobalPosition; answeredAt: number }[] = [];
  private lags: number[] = [];
  private timer?: NodeJS.Timeout;

  private constructor(private readonly db: Client) {}

  static async watch(url: string): Promise<ProjectionLag> {
    const db = new Client(url);
    await db.connect();
    const lag = new ProjectionLag(db);
    lag.poll();
    return lag;
  }

  follow(answer: Answer): void {
    const position = parsePosition((JSON.parse(answer.body) as { position?: string }).position ?? '');
    if (position) this.pending.push({ position, answeredAt: performance.now() });
  }

  reset(): void {
    this.lags = [];
  }

  /** Waits until every followed write is seen (at most 30 s), then the distribution. */
  async settle(): Promise<{ writes: number; p50Ms: number; p99Ms: number }> {
    for (const deadline = Date.now() + 30_000; this.pending.length && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 50));
    const lags = [...this.lags, ...this.pending.map(() => Infinity)].sort((a, b) => a - b);
    const pct = (p: number) => round(lags[Math.min(lags.length - 1, Math.floor(lags.length * p))]);
    return { writes: lags.length, p50Ms: pct(0.5), p99Ms: pct(0.99) };
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.db.end();
  }

  private poll = async (): Promise<void> => {
    const { rows } = await this.db.query<{ commit_position: string; prepare_position: string }>(
      `select commit_position, prepare_position from projection_checkpoints where name not like '%@%'`,
    );
    const now = performance.now();
    const passed = rows
      .map((r) => ({ commit: BigInt(r.commit_position), prepare: BigInt(r.prepare_position) }))
      .reduce<GlobalPosition | undefined>((min, p) => (!min || comparePositions(p, min) < 0 ? p : min), undefined);
    if (passed) {
      const seen = this.pending.filter((w) => comparePositions(w.position, passed) <= 0);
      this.pending = this.pending.filter((w) => comparePositions(w.position, passed) > 0);
      for (const w of seen) this.lags.push(now - w.answeredAt);
    }
    this.timer = setTimeout(() => void this.poll(), POLL_MS);
  };
}
