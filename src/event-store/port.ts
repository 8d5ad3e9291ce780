import { Observable } from 'rxjs';
import { NewEvent, RecordedEvent } from './envelope';
import { GlobalPosition } from './position';

/**
 * `no_stream`: the stream must not exist. `any`: no check. A number: the stream must be at
 * exactly that version (0 = no stream yet).
 */
export type ExpectedVersion = 'no_stream' | 'any' | number;

export interface AppendResult {
  /** The stream's version after the append (its last event's streamVersion). */
  readonly streamVersion: number;
  /** The global position of the append's last event. */
  readonly position: GlobalPosition;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: ExpectedVersion;
}

export interface EventFilter {
  readonly eventTypes?: readonly string[];
  /** Stream categories (the part of the stream id before the first dash). */
  readonly categories?: readonly string[];
}

export interface ReadAllOptions {
  /** Read events strictly after this position (START for the beginning). */
  readonly from: GlobalPosition;
  readonly filter?: EventFilter;
  /** Largest batch to return. */
  readonly limit?: number;
}

export interface ReadAllBatch {
  readonly events: readonly RecordedEvent[];
  /** Where the next read continues; past filtered-out events, so a filtered reader moves on. */
  readonly position: GlobalPosition;
  /** True when nothing more was visible after `position` at the time of the read. */
  readonly isEnd: boolean;
}

export interface SubscribeOptions {
  readonly from: GlobalPosition;
  readonly filter?: EventFilter;
}

export interface IntegrityReport {
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** The first broken link found, if any. */
  readonly firstBroken?: { readonly streamId: string; readonly streamVersion: number; readonly reason: string };
}

/** What readers cannot see yet, and why (for /health and /metrics). */
export interface VisibilityReport {
  /**
   * Events already appended (positions drawn) that readers cannot see yet because their
   * transaction is still open. An upper bound: positions of a rolled-back append count too.
   */
  readonly pendingEvents: number;
  /** The open appending transaction that holds readers back, if any (never its SQL text). */
  readonly heldBackBy?: {
    readonly pid: number;
    readonly applicationName: string;
    /** How long its transaction has been open. */
    readonly seconds: number;
    readonly state: string;
  };
  /** Appends queued behind it (waiting for the append lock). */
  readonly waitingAppends: number;
}

/** The one port through which the application reads and writes events. */
export interface EventStore {
  /** Appends to one stream, all or nothing, checking the expected version. */
  append(streamId: string, events: readonly NewEvent[], options: { expectedVersion: ExpectedVersion }): Promise<AppendResult>;
  /**
   * Appends to several streams at once (bulk import, batch decisions): one atomic write in
   * PostgreSQL; atomic per stream only in EventStoreDB, which has no multi-stream transaction.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream in order, from a stream version (inclusive, default 1). */
  readStream(streamId: string, options?: { fromVersion?: number; limit?: number }): Promise<RecordedEvent[]>;
  /** One batch of all events in global order. */
  readAll(options: ReadAllOptions): Promise<ReadAllBatch>;
  /** Every event after `from`, catching up then going live, in global order. */
  subscribe(options: SubscribeOptions): Observable<RecordedEvent>;
  /** How many events (matching the filter) are visible after `from`, counting up to `max`. */
  countAfter(from: GlobalPosition, options?: { filter?: EventFilter; max?: number }): Promise<number>;
  /** The position of the last event visible now (START when empty). */
  headPosition(): Promise<GlobalPosition>;
  /** Appended but not yet visible events and what holds them back (nothing, in EventStoreDB). */
  visibility(): Promise<VisibilityReport>;
  /** Recomputes every stream's hash chain (or the named streams') and names the first broken link. */
  verifyIntegrity(options?: { streamIds?: readonly string[]; onProgress?: (done: number) => void }): Promise<IntegrityReport>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');
