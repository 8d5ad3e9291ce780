import { Logger } from '@nestjs/common';
import { Client, Pool } from 'pg';
import { Observable, Subject } from 'rxjs';
import { EventCodec, StoredEvent } from '../codec';
import { NewEvent, RecordedEvent } from '../envelope';
import { IntegrityKeyMismatchError } from '../errors';
import { VerifiableLink } from '../integrity/check-stream';
import { macMatches } from '../integrity/keys';
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
  VisibilityReport,
} from '../port';
import { comparePositions, GlobalPosition, START } from '../position';
import { describeError } from '../../shared/safe-error';
import { pollingSubscription } from '../subscription';
import { APPEND_LOCK, EncodedAppend, NOTIFY_CHANNEL } from './append-sql';
import { AppendWriter, AppendWriterOptions, positionAt } from './append-writer';

export interface PostgresEventStoreOptions extends AppendWriterOptions {
  /** Fallback poll interval when no notification arrives (ms). */
  pollIntervalMs?: number;
  /** Default and largest batch of readAll. */
  batchSize?: number;
}

/** Latest keyed events of which one must verify at start (see checkIntegrityKey). */
const KEY_CHECK_EVENTS = 20;
const EVENT_COLUMNS = `e.global_position, e.stream_id, e.stream_version, e.event_id, e.type,
  e.schema_version, e.data, e.metadata, e.hash, e.mac`;

/**
 * What readers cannot see yet: positions drawn (the identity sequence moves outside transactions)
 * above the highest visible one, while an open transaction holds the append lock; and who holds
 * it. Only pid, application name, state and age: never the SQL text, which may carry personal data.
 */
const VISIBILITY_SQL = `
  with lock_holders as (
    select l.pid, l.granted from pg_locks l
    where l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database())
      and l.classid = ${APPEND_LOCK.classid} and l.objid = ${APPEND_LOCK.objid} and l.objsubid = 2),
  holder as (
    select a.pid, coalesce(a.application_name, '') as application_name, coalesce(a.state, '') as state,
           extract(epoch from clock_timestamp() - a.xact_start)::float as seconds
    from lock_holders h join pg_stat_activity a on a.pid = h.pid where h.granted limit 1)
  select h.pid, h.application_name, h.state, h.seconds,
         (select count(*) from lock_holders w where not w.granted)::int as waiting,
         case when h.pid is null then 0 else greatest(0,
           coalesce(pg_sequence_last_value(pg_get_serial_sequence('es_events', 'global_position')), 0)
           - coalesce((select max(e.global_position) from es_events e), 0)) end::bigint as pending
  from (select 1) one left join holder h on true`;

interface EventRow {
  global_position: string;
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
 *
 * Gap safety comes from the writers (see APPEND_SQL): positions become visible in their own order,
 * so readers simply read `global_position > from`. A gap a reader passes is a rolled-back append,
 * never one still to come. Transactions that append no events (an import, another database's
 * work) hold nobody back.
 */
export class PostgresEventStore implements EventStore {
  private readonly logger = new Logger(PostgresEventStore.name);
  private readonly appended$ = new Subject<void>();
  private listener?: Client;
  private relistenTimer?: NodeJS.Timeout;
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
    codec.quarantine?.useKeyedSince(() => this.keyedSince());
    // An idle connection that breaks (server restart, network) is dropped by the pool; without a
    // listener Node would treat its error as fatal and end the process.
    pool.on('error', (err) => this.logger.warn(`idle database connection lost: ${describeError(err)}`));
  }

  /** Checks the MAC key against the stored events, then listens for other instances' appends. */
  async start(): Promise<this> {
    await this.checkIntegrityKey();
    await this.listen();
    return this;
  }

  /**
   * A wrong key would quarantine every keyed event, and readers would move past them all: refuse to
   * start unless one of the latest keyed events verifies. (Several, so that a few forged rows at the
   * head cannot stop the app.)
   */
  private async checkIntegrityKey(): Promise<void> {
    const key = this.codec.macKey;
    if (!key) return;
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from es_events e where e.mac is not null order by e.global_position desc limit ${KEY_CHECK_EVENTS}`,
    );
    if (!rows.length || rows.map(toStored).some((r) => macMatches(key, r, r.mac!))) return;
    throw new IntegrityKeyMismatchError(rows.length);
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
    const { where, params } = filterSql(options, 3);
    const filtered = where !== '';
    // With a filter, the same statement (so the same snapshot) also finds the visible head, so a
    // reader can move past events it does not want without missing one it does.
    const sql = `
      with page as (
        select ${EVENT_COLUMNS} from es_events e
        where e.global_position > $1 ${where}
        order by e.global_position limit $2)
      select * from page
      ${
        filtered
          ? `union all
      select * from (select e.global_position, null, 0, null::uuid, null, 0, null, null, null, null
        from es_events e order by e.global_position desc limit 1) head`
          : ''
      }`;
    const { rows } = await this.pool.query<EventRow>(sql, [options.from.prepare.toString(), limit, ...params]);
    const eventRows = rows.filter((r) => r.stream_id !== null);
    const events = await this.codec.decode(eventRows.map(toStored), options);
    // From the rows, not the events: a reader moves past a quarantined event it was not given.
    const full = eventRows.length === limit;
    const head = rows.find((r) => r.stream_id === null);
    let position = eventRows.length ? rowPosition(eventRows[eventRows.length - 1]) : options.from;
    if (!full && head) position = maxPosition(position, rowPosition(head));
    return { events, position, isEnd: !full };
  }

  subscribe(options: SubscribeOptions): Observable<RecordedEvent> {
    return pollingSubscription(this, this.appended$, options, this.pollIntervalMs);
  }

  async countAfter(from: GlobalPosition, options: { filter?: EventFilter; max?: number } = {}): Promise<number> {
    const { where, params } = filterSql({ from, filter: options.filter }, 3);
    const { rows } = await this.pool.query<{ n: string }>(
      `select count(*) as n from (select 1 from es_events e where e.global_position > $1 ${where} limit $2) visible`,
      [from.prepare.toString(), options.max ?? 1_000_000, ...params],
    );
    return Number(rows[0].n);
  }

  async headPosition(): Promise<GlobalPosition> {
    const { rows } = await this.pool.query<{ p: string | null }>('select max(global_position) as p from es_events');
    return rows[0].p === null ? START : positionAt(rows[0].p);
  }

  /** The first event written with a MAC: events after it without one were not written by the app. */
  private async keyedSince(): Promise<GlobalPosition | undefined> {
    const { rows } = await this.pool.query<{ p: string | null }>(
      'select min(global_position) as p from es_events where mac is not null',
    );
    return rows[0].p === null ? undefined : positionAt(rows[0].p);
  }

  async visibility(): Promise<VisibilityReport> {
    const { rows } = await this.pool.query<{
      pid: number | null;
      application_name: string | null;
      state: string | null;
      seconds: number | null;
      waiting: number;
      pending: string;
    }>(VISIBILITY_SQL);
    const [r] = rows;
    return {
      pendingEvents: Number(r.pending),
      waitingAppends: r.waiting,
      heldBackBy:
        r.pid === null
          ? undefined
          : { pid: r.pid, applicationName: r.application_name ?? '', seconds: Math.max(0, r.seconds ?? 0), state: r.state ?? '' },
    };
  }

  /** One pass over the events in (stream, version) order: chain, MACs and checkpoints per stream. */
  async verifyIntegrity(options: VerifyOptions = {}): Promise<IntegrityReport> {
    const tally = new IntegrityTally(this.codec.macKey, options);
    let current: { streamId: string; links: VerifiableLink[] } = { streamId: '', links: [] };
    for (let after = { streamId: '', version: 0 }; ;) {
      const { rows } = await this.pool.query<EventRow>(
        `select ${EVENT_COLUMNS} from es_events e
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

  /** Wakes this process's subscribers at once; other instances wake by the append's own NOTIFY. */
  private announce(): void {
    this.appended$.next();
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

function rowPosition(row: { global_position: string }): GlobalPosition {
  return positionAt(row.global_position);
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
