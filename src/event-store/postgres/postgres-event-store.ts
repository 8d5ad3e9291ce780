import { Logger } from '@nestjs/common';
import { Client, Pool } from 'pg';
import { Observable, Subject } from 'rxjs';
import { EventCodec, StoredEvent } from '../codec';
import { NewEvent, RecordedEvent } from '../envelope';
import { VerifiableLink } from '../integrity/check-stream';
import { IntegrityTally } from '../integrity/tally';
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
  VerifyOptions,
} from '../port';
import { comparePositions, GlobalPosition, START } from '../position';
import { describeError } from '../../shared/safe-error';
import { pollingSubscription } from '../subscription';
import { EncodedAppend } from './append-sql';
import { AppendWriter, AppendWriterOptions } from './append-writer';

export interface PostgresEventStoreOptions extends AppendWriterOptions {
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
  mac?: string | null;
}

/**
 * The event store on PostgreSQL: optimistic concurrency per stream (row lock + compare),
 * idempotent appends by event id, hash-chained streams, gap-safe global order, and wake-ups by
 * LISTEN/NOTIFY with polling as the fall-back.
 */
export class PostgresEventStore implements EventStore {
  private readonly logger = new Logger(PostgresEventStore.name);
  private readonly appended$ = new Subject<void>();
  private listener?: Client;
  private relistenTimer?: NodeJS.Timeout;
  private notifyPending = false;
  private closed = false;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly writer: AppendWriter;

  constructor(
    private readonly pool: Pool,
    private readonly codec: EventCodec,
    options: PostgresEventStoreOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.writer = new AppendWriter(pool, () => this.announce(), options);
    // An idle connection that breaks (server restart, network) is dropped by the pool; without a
    // listener Node would treat its error as fatal and end the process.
    pool.on('error', (err) => this.logger.warn(`idle database connection lost: ${describeError(err)}`));
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
    return this.writer.write((await this.encode([{ streamId, events, expectedVersion: options.expectedVersion }]))[0]);
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    return this.writer.writeAtomically(await this.encode(appends));
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

  /** One pass over the events in (stream, version) order: chain, MACs and checkpoints per stream. */
  async verifyIntegrity(options: VerifyOptions = {}): Promise<IntegrityReport> {
    const tally = new IntegrityTally(this.codec.macKey, options);
    let current: { streamId: string; links: VerifiableLink[] } = { streamId: '', links: [] };
    for (let after = { streamId: '', version: 0 }; ;) {
      const { rows } = await this.pool.query<EventRow>(
        `select ${EVENT_COLUMNS}, e.mac from es_events e
         where (e.stream_id, e.stream_version) > ($1, $2) and ($3::text[] is null or e.stream_id = any($3))
         order by e.stream_id, e.stream_version limit 5000`,
        [after.streamId, after.version, options.streamIds ?? null],
      );
      for (const link of rows.map(toStored)) {
        if (link.streamId !== current.streamId) {
          if (current.links.length) tally.stream(current.streamId, current.links);
          current = { streamId: link.streamId, links: [] };
        }
        current.links.push(link);
      }
      if (rows.length < 5000) break;
      const lastRow = rows[rows.length - 1];
      after = { streamId: lastRow.stream_id!, version: Number(lastRow.stream_version) };
      options.onProgress?.(tally.eventsChecked + current.links.length);
    }
    if (current.links.length) tally.stream(current.streamId, current.links);
    return tally.report();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.relistenTimer);
    this.appended$.complete();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
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

  private async encode(appends: readonly StreamAppend[]): Promise<EncodedAppend[]> {
    for (const a of appends) {
      if (!a.events.length) throw new RangeError(`append to ${a.streamId}: no events`);
      if (typeof a.expectedVersion === 'number' && (!Number.isInteger(a.expectedVersion) || a.expectedVersion < 0)) {
        throw new RangeError(`invalid expected version ${a.expectedVersion}`);
      }
    }
    const encoded = await this.codec.encodeMany(appends, new Date());
    return appends.map((a, i) => ({ streamId: a.streamId, expectedVersion: a.expectedVersion, events: encoded[i] }));
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
    if (this.closed) return;
    const client = new Client(this.pool.options);
    this.listener = client;
    client.on('notification', () => this.appended$.next());
    const lost = (): void => this.listenerLost(client);
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`listen ${NOTIFY_CHANNEL}`);
    } catch {
      lost();
    }
  }

  /** A lost listener is not fatal: polling keeps subscribers moving; one reconnect, later. */
  private listenerLost(client: Client): void {
    if (this.listener !== client) return; // handled already ('error' and 'end' both come), or closed
    this.listener = undefined;
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.relistenTimer = setTimeout(() => void this.listen(), this.pollIntervalMs * 4);
    this.relistenTimer.unref();
  }
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
    mac: row.mac,
  };
}
