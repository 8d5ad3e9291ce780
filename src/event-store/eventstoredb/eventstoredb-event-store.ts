import {
  BACKWARDS,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  ResolvedEvent,
  START as ESDB_START,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersion,
} from '@eventstore/db-client';
import { concatMap, from, mergeMap, Observable, filter as rxFilter } from 'rxjs';
import { canonicalJson } from '../canonical-json';
import { EventCodec, StoredEvent } from '../codec';
import { NewEvent, RecordedEvent, streamCategory } from '../envelope';
import { PartialDuplicateAppendError, WrongExpectedVersionError } from '../errors';
import { GENESIS_HASH, linkHash } from '../hash-chain';
import { IntegrityTally } from '../integrity/tally';
import {
  AppendResult,
  EventFilter,
  EventStore,
  ExpectedVersion,
  IntegrityReport,
  VisibilityReport,
  ReadAllBatch,
  ReadAllOptions,
  StreamAppend,
  SubscribeOptions,
  VerifyOptions,
} from '../port';
import { comparePositions, GlobalPosition, START } from '../position';

/** Chain data kept beside the event's own metadata (the hash covers the metadata without it). */
interface ChainMetadata {
  readonly $chain: { readonly hash: string; readonly schemaVersion: number; readonly mac?: string };
}

/** Appends in flight at once: the Node client stalls beyond about a hundred on one connection. */
const MAX_CONCURRENT_APPENDS = 32;
const IDEMPOTENCY_LOOKBACK = 100;

/**
 * The event store on EventStoreDB / KurrentDB, for deployments that outgrow one PostgreSQL.
 * Stream versions are the server's revisions + 1; global positions are its commit/prepare
 * positions. Differences from the PostgreSQL adapter, by the server's nature: `appendMany` is
 * atomic per stream, not across streams; idempotency looks back over the stream's last 100 events.
 */
export class EventStoreDbEventStore implements EventStore {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly codec: EventCodec,
    private readonly batchSize: number,
  ) {}

  static async connect(
    connectionString: string,
    codec: EventCodec,
    options: { batchSize?: number } = {},
  ): Promise<EventStoreDbEventStore> {
    const client = EventStoreDBClient.connectionString(connectionString);
    const store = new EventStoreDbEventStore(client, codec, options.batchSize ?? 1000);
    await store.headPosition(); // fail at start, with the server's message, if it is unreachable
    return store;
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    if (!events.length) throw new RangeError(`append to ${streamId}: no events`);
    await this.acquire();
    try {
      return await this.appendChained(streamId, events, options.expectedVersion);
    } finally {
      this.release();
    }
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    for (const a of appends) results.push(await this.append(a.streamId, a.events, a));
    return results;
  }

  async readStream(streamId: string, options: { fromVersion?: number; limit?: number } = {}): Promise<RecordedEvent[]> {
    return this.codec.decode(await this.readStored(streamId, options.fromVersion ?? 1, options.limit));
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllBatch> {
    const limit = options.limit ?? this.batchSize;
    const stored: StoredEvent[] = [];
    let position = options.from;
    let scanned = 0;
    const fromPosition = comparePositions(options.from, START) === 0 ? ESDB_START : options.from;
    for await (const resolved of this.client.readAll({ fromPosition, maxCount: limit + 1, direction: FORWARDS })) {
      const s = toStored(resolved);
      if (!s || comparePositions(s.position, options.from) <= 0) continue;
      scanned++;
      position = s.position;
      if (matches(s, options.filter)) stored.push(s);
      if (stored.length === limit || scanned === limit) break;
    }
    return { events: await this.codec.decode(stored, options), position, isEnd: scanned < limit };
  }

  subscribe(options: SubscribeOptions): Observable<RecordedEvent> {
    return new Observable<ResolvedEvent>((subscriber) => {
      const fromPosition = comparePositions(options.from, START) === 0 ? ESDB_START : options.from;
      const subscription = this.client.subscribeToAll({ fromPosition, filter: excludeSystemEvents() });
      subscription.on('data', (e: ResolvedEvent) => subscriber.next(e));
      subscription.on('error', (err: Error) => subscriber.error(err));
      subscription.on('end', () => subscriber.complete());
      return () => void subscription.unsubscribe();
    }).pipe(
      mergeMap((resolved) => {
        const s = toStored(resolved);
        return s && matches(s, options.filter) ? [s] : [];
      }),
      rxFilter((s) => comparePositions(s.position, options.from) > 0),
      // A quarantined event decodes to nothing: the subscriber never sees it.
      concatMap((s) => from(this.codec.decode([s]))),
      concatMap((events) => from(events)),
    );
  }

  async countAfter(from: GlobalPosition, options: { filter?: EventFilter; max?: number } = {}): Promise<number> {
    const max = options.max ?? 1_000_000;
    let count = 0;
    const fromPosition = comparePositions(from, START) === 0 ? ESDB_START : from;
    for await (const resolved of this.client.readAll({ fromPosition, direction: FORWARDS, maxCount: max + 1 })) {
      const s = toStored(resolved);
      if (s && comparePositions(s.position, from) > 0 && matches(s, options.filter) && ++count >= max) break;
    }
    return count;
  }

  async headPosition(): Promise<GlobalPosition> {
    for await (const resolved of this.client.readAll({ fromPosition: 'end', maxCount: 50, direction: BACKWARDS })) {
      const s = toStored(resolved);
      if (s) return s.position;
    }
    return START;
  }

  /** An EventStoreDB write is visible once acknowledged: nothing is ever appended but hidden. */
  async visibility(): Promise<VisibilityReport> {
    return { pendingEvents: 0, waitingAppends: 0 };
  }

  async verifyIntegrity(options: VerifyOptions = {}): Promise<IntegrityReport> {
    const tally = new IntegrityTally(this.codec.macKey, options);
    const streamIds = options.streamIds ?? (await this.allStreamIds());
    for (const streamId of streamIds) {
      const links = await this.readStored(streamId, 1);
      if (links.length) tally.stream(streamId, links);
      options.onProgress?.(tally.eventsChecked);
    }
    return tally.report();
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** The chain needs the previous hash, so the write always names the revision it read. */
  private async appendChained(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    for (;;) {
      const tail = await this.readTail(streamId);
      const duplicate = this.findDuplicate(tail, events, streamId);
      if (duplicate) return duplicate;
      const current = tail.length ? tail[0].streamVersion : 0;
      if (expected !== 'any' && (expected === 'no_stream' ? 0 : expected) !== current) {
        throw new WrongExpectedVersionError(streamId, expected, current || 'no_stream');
      }
      const encoded = await this.codec.encode(streamId, events, new Date());
      let previous = tail.length ? tail[0].hash : GENESIS_HASH;
      const payload = encoded.map((e, i) => {
        const hash = linkHash(previous, { ...e, streamId, streamVersion: current + i + 1 });
        previous = hash;
        const chain: ChainMetadata = { $chain: { hash, schemaVersion: e.schemaVersion, mac: e.mac } };
        return jsonEvent({
          id: e.eventId,
          type: e.type,
          data: JSON.parse(e.dataJson),
          metadata: { ...JSON.parse(e.metadataJson), ...chain },
        });
      });
      try {
        const result = await this.client.appendToStream(streamId, payload, {
          expectedRevision: current === 0 ? NO_STREAM : BigInt(current - 1),
        });
        const position = result.position ?? (await this.headPosition());
        return { streamVersion: Number(result.nextExpectedRevision) + 1, position };
      } catch (err) {
        if (!(err instanceof EsdbWrongExpectedVersion)) throw err;
        if (expected !== 'any') throw new WrongExpectedVersionError(streamId, expected, actualVersion(err));
        // 'any': someone appended between our read and write; chain onto their events and retry.
      }
    }
  }

  private findDuplicate(tail: StoredEvent[], events: readonly NewEvent[], streamId: string): AppendResult | undefined {
    const ids = new Set(events.map((e) => e.eventId?.toLowerCase()).filter(Boolean));
    if (!ids.size) return undefined;
    const found = tail.filter((e) => ids.has(e.eventId));
    if (!found.length) return undefined;
    if (found.length < events.length) throw new PartialDuplicateAppendError(streamId);
    const last = found[0];
    return { streamVersion: last.streamVersion, position: last.position };
  }

  /** The stream's last events, newest first. */
  private async readTail(streamId: string): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const r of this.client.readStream(streamId, {
        fromRevision: 'end',
        direction: BACKWARDS,
        maxCount: IDEMPOTENCY_LOOKBACK,
      })) {
        const s = toStored(r);
        if (s) out.push(s);
      }
    } catch (err) {
      if (!(err instanceof StreamNotFoundError)) throw err;
    }
    return out;
  }

  private async readStored(streamId: string, fromVersion: number, limit?: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      const reads = this.client.readStream(streamId, {
        fromRevision: BigInt(Math.max(fromVersion, 1) - 1),
        direction: FORWARDS,
        maxCount: limit ?? Number.MAX_SAFE_INTEGER,
      });
      for await (const r of reads) {
        const s = toStored(r);
        if (s) out.push(s);
      }
    } catch (err) {
      if (!(err instanceof StreamNotFoundError)) throw err;
    }
    return out;
  }

  private async allStreamIds(): Promise<string[]> {
    const ids = new Set<string>();
    for await (const r of this.client.readAll({ fromPosition: ESDB_START, direction: FORWARDS })) {
      const s = toStored(r);
      if (s) ids.add(s.streamId);
    }
    return [...ids].sort();
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < MAX_CONCURRENT_APPENDS) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

function toStored(resolved: ResolvedEvent): StoredEvent | undefined {
  const e = resolved.event;
  if (!e || e.type.startsWith('$') || !e.isJson || !e.position) return undefined;
  const { $chain, ...metadata } = (e.metadata ?? {}) as Partial<ChainMetadata> & Record<string, unknown>;
  if (!$chain) return undefined; // not written by this application
  return {
    eventId: e.id,
    type: e.type,
    schemaVersion: $chain.schemaVersion,
    dataJson: canonicalJson(e.data),
    metadataJson: canonicalJson(metadata),
    streamId: e.streamId,
    streamVersion: Number(e.revision) + 1,
    position: { commit: e.position.commit, prepare: e.position.prepare },
    hash: $chain.hash,
    mac: $chain.mac ?? null,
  };
}

function matches(s: StoredEvent, filter?: EventFilter): boolean {
  if (filter?.eventTypes?.length && !filter.eventTypes.includes(s.type)) return false;
  if (filter?.categories?.length && !filter.categories.includes(streamCategory(s.streamId))) return false;
  return true;
}

function actualVersion(err: EsdbWrongExpectedVersion): number | 'no_stream' {
  const actual = err.actualVersion;
  return typeof actual === 'bigint' ? Number(actual) + 1 : 'no_stream';
}
