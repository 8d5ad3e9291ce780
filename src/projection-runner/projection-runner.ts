import { Logger } from '@nestjs/common';
import { firstValueFrom, race, Subject, take, timer } from 'rxjs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { EventStore } from '../event-store/port';
import { comparePositions, GlobalPosition, START } from '../event-store/position';
import { applyNextBatch, applyNextSagaBatch, BatchOutcome, readCheckpoints } from './checkpoints';
import { KeyedQueue } from '../shared/keyed-queue';
import { describeError } from '../shared/safe-error';
import { Projection } from './projection';
import { rebuildProjection, RebuildProgress } from './rebuild';

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  /** How often an instance without the lease asks for it again. */
  readonly leaseRetryMs?: number;
  /** The longest wait for new events before looking again anyway. */
  readonly idleCheckMs?: number;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly position: GlobalPosition;
  readonly eventsApplied: number;
  /**
   * Events this projection has not passed yet: the visible ones after its position (of its
   * filter) plus every event appended but not yet visible to readers (pendingEvents).
   */
  readonly lagEvents: number;
  /** Of lagEvents, those still in an open appending transaction (any type: they cannot be read yet). */
  readonly pendingEvents: number;
  /** Age of the oldest event it has not passed yet, or of the open append holding it back (0 when caught up). */
  readonly lagSeconds: number;
  readonly updatedAt?: Date;
  /** Whether this instance holds the projection's lease (runs it). */
  readonly runningHere: boolean;
}

export class ProjectionTimeoutError extends Error {
  readonly code = 'PROJECTION_TIMEOUT';
}

/**
 * Runs every projection: one leader per projection across instances (a PostgreSQL advisory
 * lock), batched catch-up, then a live tail woken by the store's subscription. Each batch is one
 * transaction holding the projection's checkpoint row, so a crash anywhere resumes exactly after
 * the last committed batch, and a rebuild's swap cannot interleave with a live batch.
 */
export class ProjectionRunner {
  private readonly logger = new Logger(ProjectionRunner.name);
  private readonly stop$ = new Subject<void>();
  private readonly loops: Promise<void>[] = [];
  private readonly leased = new Set<string>();
  /** One session for every lease: a promise, so loops asking at once share it instead of each opening one. */
  private leaseConnection?: Promise<Client>;
  private readonly leaseQueries = new KeyedQueue();
  private stopping = false;
  private readonly batchSize: number;
  private readonly leaseRetryMs: number;
  private readonly idleCheckMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    readonly projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.leaseRetryMs = options.leaseRetryMs ?? 2000;
    this.idleCheckMs = options.idleCheckMs ?? 5000;
    const names = projections.map((p) => p.name);
    if (new Set(names).size !== names.length) throw new Error(`duplicate projection names: ${names.join(', ')}`);
  }

  start(): void {
    for (const p of this.projections) this.loops.push(this.run(p));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stop$.next();
    await Promise.allSettled(this.loops);
    await this.releaseLeases();
  }

  /** Applies one batch of `projection` in its own transaction. */
  async processBatch(projection: Projection): Promise<BatchOutcome> {
    if (projection.issuesCommands)
      return applyNextSagaBatch(this.dataSource, this.store, projection, projection.name, this.batchSize);
    return this.dataSource.transaction((q) => applyNextBatch(q, this.store, projection, projection.name, this.batchSize));
  }

  /** Brings a projection up to the visible head (tests, CLI, start-up without the tail). */
  async catchUp(projection: Projection): Promise<void> {
    while (!(await this.processBatch(projection)).isEnd);
  }

  /** Read-your-writes: resolves once the projections have passed `position`, or throws after the timeout. */
  async waitFor(position: GlobalPosition, options: { timeoutMs?: number; projections?: readonly string[] } = {}): Promise<void> {
    const names = options.projections ?? this.projections.map((p) => p.name);
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      const checkpoints = await readCheckpoints(this.dataSource, names);
      const passed = checkpoints.filter((c) => comparePositions(c.position, position) >= 0).length;
      if (passed === names.length) return;
      if (Date.now() > deadline) {
        throw new ProjectionTimeoutError(`read models not yet up to date with ${position.commit}/${position.prepare}`);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /**
   * Lag in events is counted up to `maxLagCount` (a cheap bound for frequent callers such as
   * /health). Events appended but not yet visible (an open appending transaction) count too, and
   * the age of that transaction counts in the lag in seconds: a reader it holds back is behind.
   */
  async status(options: { maxLagCount?: number } = {}): Promise<ProjectionStatus[]> {
    const [rows, visibility] = await Promise.all([readCheckpoints(this.dataSource), this.store.visibility()]);
    const checkpoints = new Map(rows.map((c) => [c.name, c]));
    const pendingSeconds = visibility.pendingEvents > 0 ? (visibility.heldBackBy?.seconds ?? 0) : 0;
    return Promise.all(
      this.projections.map(async (p) => {
        const cp = checkpoints.get(p.name);
        const position = cp?.position ?? START;
        const [visibleLag, next] = await Promise.all([
          this.store.countAfter(position, { filter: p.filter, max: options.maxLagCount ?? 1_000_000 }),
          this.store.readAll({ from: position, filter: p.filter, limit: 1 }),
        ]);
        const oldest = next.events[0]?.metadata.recordedAt;
        const visibleSeconds = oldest ? Math.max(0, (Date.now() - Date.parse(oldest)) / 1000) : 0;
        return {
          name: p.name,
          position,
          eventsApplied: cp?.eventsApplied ?? 0,
          lagEvents: visibleLag + visibility.pendingEvents,
          pendingEvents: visibility.pendingEvents,
          lagSeconds: Math.max(visibleSeconds, pendingSeconds),
          updatedAt: cp?.updatedAt,
          runningHere: this.leased.has(p.name),
        };
      }),
    );
  }

  /** Rebuilds a projection into shadow tables while the live one keeps serving, then swaps. */
  async rebuild(name: string, onProgress?: (p: RebuildProgress) => void): Promise<void> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection)
      throw new RangeError(`unknown projection "${name}"; known: ${this.projections.map((p) => p.name).join(', ')}`);
    await rebuildProjection(this.dataSource, this.store, projection, this.batchSize, onProgress);
  }

  private async run(projection: Projection): Promise<void> {
    while (!this.stopping) {
      try {
        if (!(await this.acquireLease(projection))) {
          await this.pause(this.leaseRetryMs);
          continue;
        }
        const outcome = await this.processBatch(projection);
        if (outcome.isEnd) await this.waitForEventsAfter(outcome.position);
      } catch (err) {
        const which = projection.name;
        this.logger.error(`projection ${which} failed, retrying: ${describeError(err)}`);
        await this.pause(this.leaseRetryMs);
      }
    }
  }

  /** Waits for any new event (not only the projection's types, so its position moves on too). */
  private async waitForEventsAfter(position: GlobalPosition): Promise<void> {
    await firstValueFrom(race(this.store.subscribe({ from: position }).pipe(take(1)), this.stop$, timer(this.idleCheckMs)), {
      defaultValue: undefined,
    });
  }

  /** Leases are session-level advisory locks on a connection of their own, outside the pool. */
  private async acquireLease(projection: Projection): Promise<boolean> {
    if (this.leased.has(projection.name)) return true;
    const connection = await this.leaseSession();
    // One query at a time on the shared session (pg will refuse overlapping queries on a client).
    const { rows } = await this.leaseQueries.run('lease', () =>
      connection.query<{ locked: boolean }>(`select pg_try_advisory_lock(hashtext('projection:' || $1)) as locked`, [
        projection.name,
      ]),
    );
    if (rows[0].locked) this.leased.add(projection.name);
    return rows[0].locked;
  }

  private leaseSession(): Promise<Client> {
    if (!this.leaseConnection) {
      // A lost session has lost its locks: forget them, the loops ask again.
      const session: Promise<Client> = this.openLeaseSession(() => {
        if (this.leaseConnection === session) this.leaseConnection = undefined;
        this.leased.clear();
      });
      this.leaseConnection = session;
    }
    return this.leaseConnection;
  }

  private async openLeaseSession(forget: () => void): Promise<Client> {
    const client = new Client({ connectionString: (this.dataSource.options as PostgresConnectionOptions).url });
    client.on('error', forget);
    client.on('end', forget);
    try {
      await client.connect();
    } catch (err) {
      forget();
      throw err;
    }
    return client;
  }

  private async releaseLeases(): Promise<void> {
    const session = this.leaseConnection;
    this.leaseConnection = undefined;
    this.leased.clear();
    await session?.then((client) => client.end()).catch(() => undefined);
  }

  private async pause(ms: number): Promise<void> {
    await firstValueFrom(race(timer(ms), this.stop$), { defaultValue: undefined });
  }
}
