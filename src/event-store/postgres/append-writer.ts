import { DatabaseError, Pool } from 'pg';
import { PartialDuplicateAppendError, WrongExpectedVersionError } from '../errors';
import { AppendResult } from '../port';
import { GlobalPosition } from '../position';
import { appendParams, AppendOutcome, appendStatement, EncodedAppend, toOutcomes } from './append-sql';

interface Pending {
  readonly append: EncodedAppend;
  resolve(result: AppendResult): void;
  reject(err: unknown): void;
}

export interface AppendWriterOptions {
  /** Statements in flight at once (connections used for appends). */
  readonly maxConcurrentStatements?: number;
  /** Appends combined into one statement at most. */
  readonly maxAppendsPerStatement?: number;
}

/**
 * Sessions that plan prepared statements once (generic plan). Left to itself (plan_cache_mode
 * auto), PostgreSQL re-plans the append statement on every execution, because a custom plan for
 * arrays of known length always looks cheaper than the generic one; that planning was about a
 * third of the statement's time (docs/adr/0001, "Append throughput"). The store's other
 * statements are index lookups by key or position, whose generic plans are the custom ones.
 */
const genericPlanSessions = new WeakSet<object>();

/** Retries of an 'any' append that lost a race with another connection's writer. */
const ANY_RETRIES = 10;

/**
 * Writes appends with group commit: appends that arrive while statements are in flight wait
 * in a queue and go together in the next statement (one transaction), each still with its own
 * expected-version check and outcome. Appends to one stream keep their order and never share
 * a statement, so a later one sees the earlier one's events.
 */
export class AppendWriter {
  private readonly queue: Pending[] = [];
  private readonly streamsInFlight = new Set<string>();
  private inFlight = 0;
  private drainScheduled = false;
  private readonly maxConcurrent: number;
  private readonly maxPerStatement: number;

  constructor(
    private readonly pool: Pool,
    private readonly onWritten: () => void,
    options: AppendWriterOptions = {},
  ) {
    // One: the append lock is held through each commit's WAL flush, so a second statement in
    // flight only waits for it, holding half the waiting appends out of the commit in progress;
    // one statement at a time puts every waiting append into each flush (docs/adr/0001).
    this.maxConcurrent = options.maxConcurrentStatements ?? 1;
    this.maxPerStatement = options.maxAppendsPerStatement ?? 64;
  }

  write(append: EncodedAppend): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ append, resolve, reject });
      this.scheduleDrain();
    });
  }

  /**
   * Several appends in one transaction: all are written, or none (the first refusal is thrown).
   * One statement in autocommit (APPEND_ALL_OR_NOTHING_SQL), so the append lock is held only for
   * the statement and its commit, never while a client is away between two statements.
   */
  async writeAtomically(appends: readonly EncodedAppend[]): Promise<AppendResult[]> {
    let refused: { append: EncodedAppend; actual: number } | undefined;
    try {
      const outcomes = await this.execute(this.pool, appends, true);
      const i = outcomes.findIndex((o) => !o.accepted);
      if (i < 0) {
        this.onWritten();
        return outcomes.map(toResult);
      }
      refused = { append: appends[i], actual: outcomes[i].actualVersion };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    // Refused as a whole: a complete re-send is idempotent, anything else a conflict.
    const existing = await Promise.all(appends.map((a) => this.existing(a)));
    if (existing.every((e) => e)) return existing as AppendResult[];
    if (refused) throw conflict(refused.append, refused.actual);
    const missing = appends[existing.findIndex((e) => !e)];
    throw conflict(missing, await this.currentVersion(missing.streamId));
  }

  /**
   * Drains once the current turn of the event loop is over, so every writer woken by the last
   * statement's results (and every append issued in this turn) is in the queue and goes in the
   * next statement together, instead of the first one taking a statement of its own.
   */
  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.maxConcurrent && this.queue.length) {
      const batch = this.takeBatch();
      if (!batch.length) return;
      this.inFlight++;
      for (const p of batch) this.streamsInFlight.add(p.append.streamId);
      void this.flush(batch).finally(() => {
        this.inFlight--;
        for (const p of batch) this.streamsInFlight.delete(p.append.streamId);
        this.scheduleDrain();
      });
    }
  }

  /** The oldest queued appends whose streams are not being written, one per stream. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const streams = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.maxPerStatement;) {
      const p = this.queue[i];
      const busy = this.streamsInFlight.has(p.append.streamId) || streams.has(p.append.streamId);
      streams.add(p.append.streamId); // later appends of a skipped stream wait behind it
      if (busy) {
        i++;
        continue;
      }
      batch.push(p);
      this.queue.splice(i, 1);
    }
    return batch;
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.execute(
        this.pool,
        batch.map((p) => p.append),
      );
      this.onWritten();
      await Promise.all(
        batch.map((p, i) =>
          outcomes[i].accepted
            ? p.resolve(toResult(outcomes[i]))
            : this.settleRefused(p.append, outcomes[i].actualVersion).then(p.resolve, p.reject),
        ),
      );
    } catch (err) {
      if (!isUniqueViolation(err)) return batch.forEach((p) => p.reject(err));
      // Another connection wrote one of these streams, or an append was re-sent: settle each alone.
      await Promise.all(batch.map((p) => this.resolveUniqueViolation(p.append).then(p.resolve, p.reject)));
    }
  }

  /** A refused append is done already if it is a re-send; otherwise a version conflict. */
  private async settleRefused(append: EncodedAppend, actual: number): Promise<AppendResult> {
    const existing = await this.existing(append);
    if (existing) return existing;
    throw conflict(append, actual);
  }

  /** An append the unique keys refused: a re-send (idempotent), a race to retry, or a conflict. */
  private async resolveUniqueViolation(append: EncodedAppend): Promise<AppendResult> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.existing(append);
      if (existing) return existing;
      try {
        const [outcome] = await this.execute(this.pool, [append]);
        if (!outcome.accepted) return await this.settleRefused(append, outcome.actualVersion);
        this.onWritten();
        return toResult(outcome);
      } catch (err) {
        const retry = isUniqueViolation(err) && append.expectedVersion === 'any' && attempt < ANY_RETRIES;
        if (retry) continue;
        if (isUniqueViolation(err)) throw conflict(append, await this.currentVersion(append.streamId));
        throw err;
      }
    }
  }

  /** The first result of an append whose event ids are all stored already. */
  private async existing(append: EncodedAppend): Promise<AppendResult | undefined> {
    const ids = append.events.map((e) => e.eventId);
    const { rows } = await this.pool.query<{
      stream_id: string;
      stream_version: string;
      global_position: string;
    }>(
      `select stream_id, stream_version, global_position from es_events
       where event_id = any($1::uuid[]) order by stream_version desc`,
      [ids],
    );
    if (!rows.length) return undefined;
    if (rows.length < ids.length || rows.some((r) => r.stream_id !== append.streamId)) {
      throw new PartialDuplicateAppendError(append.streamId);
    }
    const last = rows[0];
    return {
      streamVersion: Number(last.stream_version),
      position: positionAt(last.global_position),
    };
  }

  private async currentVersion(streamId: string): Promise<number> {
    const { rows } = await this.pool.query<{ v: string | null }>(
      'select max(stream_version) as v from es_events where stream_id = $1',
      [streamId],
    );
    return Number(rows[0].v ?? 0);
  }

  private async execute(db: Pool, appends: readonly EncodedAppend[], allOrNothing = false): Promise<AppendOutcome[]> {
    const client = await db.connect();
    // A checked-out client has no listener of the pool's: without one, a connection the server
    // drops (a crash, a restart) would be an unhandled 'error' and end the process.
    let broken: Error | undefined;
    const onError = (err: Error): void => void (broken = err);
    client.on('error', onError);
    try {
      if (!genericPlanSessions.has(client)) {
        await client.query('set plan_cache_mode = force_generic_plan');
        genericPlanSessions.add(client);
      }
      const { rows } = await client.query({ ...appendStatement(appends, allOrNothing), values: appendParams(appends) });
      return toOutcomes(rows);
    } catch (err) {
      // A refusal by the server leaves the session usable; anything else (a lost connection) does not.
      broken ??= err instanceof DatabaseError ? undefined : (err as Error);
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }
}

function toResult(o: AppendOutcome): AppendResult {
  return { streamVersion: o.streamVersion!, position: positionAt(o.globalPosition!) };
}

/** PostgreSQL positions are commit-ordered (see APPEND_SQL): one number serves as both halves. */
export function positionAt(globalPosition: string): GlobalPosition {
  const p = BigInt(globalPosition);
  return { commit: p, prepare: p };
}

function conflict(append: EncodedAppend, actual: number): WrongExpectedVersionError {
  return new WrongExpectedVersionError(append.streamId, append.expectedVersion, actual === 0 ? 'no_stream' : actual);
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof DatabaseError && err.code === '23505';
}
