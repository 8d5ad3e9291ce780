import { Client, DatabaseError, Pool, PoolClient } from 'pg';
import { Observable, Subject } from 'rxjs';
import { EventCodec, StoredEvent } from '../codec';
import { NewEvent, RecordedEvent } from '../envelope';
import { PartialDuplicateAppendError, WrongExpectedVersionError } from '../errors';
import { findBrokenLink, GENESIS_HASH, StoredLink } from '../hash-chain';
import {
  AppendResult,
  EventFilter,
  EventStore,
  ExpectedVersion,
  IntegrityReport,
  ReadAllBatch,
  ReadAllOptions,
  StreamAppend,
  SubscribeOptions,
} from '../port';
import { comparePositions, GlobalPosition, START } from '../position';
import { pollingSubscription } from '../subscription';

export interface PostgresEventStoreOptions {
  /** Fallback poll interval when no notification arrives (ms). */
  pollIntervalMs?: number;
  /** Default and largest batch of readAll. */
  batchSize?: number;
}

const NOTIFY_CHANNEL = 'es_appended';
const EVENT_COLUMNS = `e.global_position, e.tx_order, e.stream_id, e.stream_version, e.event_id, e.type,
  e.schema_version, e.data, e.metadata, e.hash`;
/**
 * Gap-safe visibility: only rows of transactions that finished before every still-running one
 * (tx_order below the snapshot's xmin, rebased by xid_offset). A slower transaction that commits
 * late therefore never lands behind a position a reader has already passed.
 */
const VISIBLE_BELOW = `(select pg_snapshot_xmin(pg_current_snapshot())::text::bigint + s.xid_offset from es_settings s)`;

interface EventRow {
  global_position: string;
  tx_order: string;
  stream_id: string | null;
  stream_version: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  hash: string;
}

/**
 * The event store on PostgreSQL: optimistic concurrency per stream (row lock + compare),
 * idempotent appends by event id, hash-chained streams, gap-safe global order, and wake-ups by
 * LISTEN/NOTIFY with polling as the fall-back.
 */
export class PostgresEventStore implements EventStore {
  private readonly appended$ = new Subject<void>();
  private listener?: Client;
  private notifyPending = false;
  private closed = false;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly pool: Pool,
    private readonly codec: EventCodec,
    options: PostgresEventStoreOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
  }

  /** Rebases after a restore, then listens for other instances' appends. */
  async start(): Promise<this> {
    await this.rebaseAfterRestore();
    await this.listen();
    return this;
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    const [result] = await this.appendWith(this.pool, [{ streamId, events, expectedVersion: options.expectedVersion }]);
    this.announce();
    return result;
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 1) return [await this.append(appends[0].streamId, appends[0].events, appends[0])];
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const results = await this.appendWith(client, appends);
      await client.query('commit');
      this.announce();
      return results;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async readStream(streamId: string, options: { fromVersion?: number; limit?: number } = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from es_events e where e.stream_id = $1 and e.stream_version >= $2
       order by e.stream_version limit $3`,
      [streamId, options.fromVersion ?? 1, options.limit ?? null],
    );
    return this.codec.decode(rows.map(toStored));
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllBatch> {
    const limit = Math.min(options.limit ?? this.batchSize, 10_000);
    const { where, params } = filterSql(options, 4);
    const filtered = where !== '';
    // With a filter, the same statement (so the same snapshot) also finds the visible head, so a
    // reader can move past events it does not want without missing one it does.
    const sql = `
      with page as (
        select ${EVENT_COLUMNS} from es_events e
        where (e.tx_order, e.global_position) > ($1, $2) and e.tx_order < ${VISIBLE_BELOW} ${where}
        order by e.tx_order, e.global_position limit $3)
      select * from page
      ${
        filtered
          ? `union all
      select * from (select e.global_position, e.tx_order, null, 0, null::uuid, null, 0, null, null, null
        from es_events e where e.tx_order < ${VISIBLE_BELOW}
        order by e.tx_order desc, e.global_position desc limit 1) head`
          : ''
      }`;
    const { rows } = await this.pool.query<EventRow>(sql, [
      options.from.commit.toString(),
      options.from.prepare.toString(),
      limit,
      ...params,
    ]);
    const eventRows = rows.filter((r) => r.stream_id !== null);
    const events = await this.codec.decode(eventRows.map(toStored));
    const full = events.length === limit;
    const head = rows.find((r) => r.stream_id === null);
    let position = events.length ? events[events.length - 1].position : options.from;
    if (!full && head) position = maxPosition(position, rowPosition(head));
    return { events, position, isEnd: !full };
  }

  subscribe(options: SubscribeOptions): Observable<RecordedEvent> {
    return pollingSubscription(this, this.appended$, options, this.pollIntervalMs);
  }

  async countAfter(from: GlobalPosition, options: { filter?: EventFilter; max?: number } = {}): Promise<number> {
    const { where, params } = filterSql({ from, filter: options.filter }, 4);
    const { rows } = await this.pool.query<{ n: string }>(
      `select count(*) as n from (select 1 from es_events e
         where (e.tx_order, e.global_position) > ($1, $2) and e.tx_order < ${VISIBLE_BELOW} ${where} limit $3) visible`,
      [from.commit.toString(), from.prepare.toString(), options.max ?? 1_000_000, ...params],
    );
    return Number(rows[0].n);
  }

  async headPosition(): Promise<GlobalPosition> {
    const { rows } = await this.pool.query<EventRow>(
      `select e.global_position, e.tx_order from es_events e where e.tx_order < ${VISIBLE_BELOW}
       order by e.tx_order desc, e.global_position desc limit 1`,
    );
    return rows.length ? rowPosition(rows[0]) : START;
  }

  async verifyIntegrity(
    options: { streamIds?: readonly string[]; onProgress?: (done: number) => void } = {},
  ): Promise<IntegrityReport> {
    let streamsChecked = 0;
    let eventsChecked = 0;
    let after = '';
    for (;;) {
      const { rows: streams } = await this.pool.query<{ stream_id: string; version: string; last_hash: string }>(
        `select stream_id, version, last_hash from es_streams
         where stream_id > $1 and ($2::text[] is null or stream_id = any($2)) order by stream_id limit 500`,
        [after, options.streamIds ?? null],
      );
      if (!streams.length) return { streamsChecked, eventsChecked };
      for (const stream of streams) {
        const links = await this.links(stream.stream_id);
        eventsChecked += links.length;
        streamsChecked++;
        const broken = findBrokenLink(links);
        if (broken) return { streamsChecked, eventsChecked, firstBroken: { streamId: stream.stream_id, ...broken } };
        const last = links[links.length - 1];
        if (Number(stream.version) !== links.length || (last?.hash ?? GENESIS_HASH) !== stream.last_hash) {
          const reason = `stream head says version ${stream.version}, the chain ends at ${links.length}`;
          return {
            streamsChecked,
            eventsChecked,
            firstBroken: { streamId: stream.stream_id, streamVersion: links.length + 1, reason },
          };
        }
      }
      options.onProgress?.(eventsChecked);
      after = streams[streams.length - 1].stream_id;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.appended$.complete();
    await this.listener?.end().catch(() => undefined);
  }

  /** The xmin rule and the order both rest on transaction ids, which a restore into a new cluster
   * starts again from a small number: lift the offset so new ids sort after every stored one. */
  private async rebaseAfterRestore(): Promise<void> {
    await this.pool.query(`
      update es_settings set xid_offset = head.max_order - head.next_xid + 1
      from (select (select coalesce(max(tx_order), 0) from es_events) as max_order,
                   pg_snapshot_xmax(pg_current_snapshot())::text::bigint as next_xid) head
      where head.max_order >= head.next_xid + es_settings.xid_offset`);
  }

  private async appendWith(db: Pool | PoolClient, appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const now = new Date();
    const results: AppendResult[] = [];
    for (const a of appends) results.push(await this.appendOne(db, a, now));
    return results;
  }

  private async appendOne(db: Pool | PoolClient, a: StreamAppend, now: Date): Promise<AppendResult> {
    if (!a.events.length) throw new RangeError(`append to ${a.streamId}: no events`);
    const encoded = await this.codec.encode(a.streamId, a.events, now);
    const params = [
      a.streamId,
      expectedToSql(a.expectedVersion),
      encoded.map((e) => e.eventId),
      encoded.map((e) => e.type),
      encoded.map((e) => e.schemaVersion),
      encoded.map((e) => e.dataJson),
      encoded.map((e) => e.metadataJson),
      now,
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await db.query<{ stream_version: string; tx_order: string; global_position: string }>(
          'select * from es_append($1, $2, $3, $4, $5, $6, $7, $8)',
          params,
        );
        return { streamVersion: Number(rows[0].stream_version), position: rowPosition(rows[0]) };
      } catch (err) {
        // An identical append raced this one and won; asking again returns the winner's result.
        const raced = err instanceof DatabaseError && err.constraint === 'es_events_event_id_key';
        if (raced && attempt === 1 && db === this.pool) continue;
        throw translateAppendError(err, a);
      }
    }
  }

  private async links(streamId: string): Promise<StoredLink[]> {
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from es_events e where e.stream_id = $1 order by e.stream_version`,
      [streamId],
    );
    return rows.map(toStored);
  }

  /** Wakes this process's subscribers at once and other instances' through one NOTIFY a tick. */
  private announce(): void {
    this.appended$.next();
    if (this.notifyPending || this.closed) return;
    this.notifyPending = true;
    setTimeout(() => {
      this.notifyPending = false;
      if (!this.closed) this.pool.query(`select pg_notify('${NOTIFY_CHANNEL}', '')`).catch(() => undefined);
    }, 5).unref();
  }

  private async listen(): Promise<void> {
    const client = new Client(this.pool.options);
    client.on('notification', () => this.appended$.next());
    // A lost listener is not fatal: polling keeps subscribers moving; reconnect in the background.
    client.on('error', () => this.scheduleRelisten());
    client.on('end', () => this.scheduleRelisten());
    try {
      await client.connect();
      await client.query(`listen ${NOTIFY_CHANNEL}`);
      this.listener = client;
    } catch {
      this.scheduleRelisten();
    }
  }

  private scheduleRelisten(): void {
    if (this.closed) return;
    this.listener = undefined;
    setTimeout(() => void this.listen(), this.pollIntervalMs * 4).unref();
  }
}

function translateAppendError(err: unknown, a: StreamAppend): unknown {
  if (!(err instanceof DatabaseError)) return err;
  if (err.code === 'ES001') {
    const actual = err.message === 'no_stream' ? 'no_stream' : Number(err.message);
    return new WrongExpectedVersionError(a.streamId, a.expectedVersion, actual);
  }
  if (err.code === 'ES002') return new PartialDuplicateAppendError(a.streamId);
  return err;
}

function expectedToSql(expected: ExpectedVersion): number {
  if (expected === 'no_stream') return -1;
  if (expected === 'any') return -2;
  if (!Number.isInteger(expected) || expected < 0) throw new RangeError(`invalid expected version ${expected}`);
  return expected;
}

function filterSql(options: ReadAllOptions, firstParam: number): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (options.filter?.eventTypes?.length) {
    params.push(options.filter.eventTypes);
    parts.push(`e.type = any($${firstParam + params.length - 1})`);
  }
  if (options.filter?.categories?.length) {
    params.push(options.filter.categories);
    parts.push(`e.category = any($${firstParam + params.length - 1})`);
  }
  return { where: parts.map((p) => `and ${p}`).join(' '), params };
}

function rowPosition(row: { tx_order: string; global_position: string }): GlobalPosition {
  return { commit: BigInt(row.tx_order), prepare: BigInt(row.global_position) };
}

function maxPosition(a: GlobalPosition, b: GlobalPosition): GlobalPosition {
  return comparePositions(a, b) >= 0 ? a : b;
}

function toStored(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    dataJson: row.data,
    metadataJson: row.metadata,
    streamId: row.stream_id!,
    streamVersion: Number(row.stream_version),
    position: rowPosition(row),
    hash: row.hash,
  };
}
