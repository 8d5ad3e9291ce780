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
  /**
   * Also return quarantined events (failed MAC), marked and undecoded: only for readers that must
   * see every row (the checkpoint writer, the global-log check), never for deciders or projections.
   */
  readonly includeQuarantined?: boolean;
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

/** How a stream's evidence fails; see docs/threat-model.md for what each means. */
export type TamperKind =
  /** An event's content changed after the app wrote it (its MAC no longer matches). */
  | 'edited'
  /** The chain links up again, but no longer ends where a signed checkpoint sealed it. */
  | 'rechained'
  /** An event between others is gone (a version gap, or a sealed event missing). */
  | 'deleted'
  /** The stream's last sealed events (or the whole stream) are gone. */
  | 'deleted-tail'
  /** Sealed events are present but in another order. */
  | 'reordered'
  /** An event the app did not write: MAC invalid, or not among the sealed events. */
  | 'forged'
  /** A stored link does not match its content (edited without re-chaining). */
  | 'chain-broken'
  /** An event lost its MAC although the stream carried MACs before it. */
  | 'mac-removed';

export interface IntegrityProblem {
  readonly kind: TamperKind;
  readonly streamVersion?: number;
  /** English detail for operators; the kind is what the UI translates. */
  readonly detail: string;
}

export interface BrokenStream {
  readonly streamId: string;
  readonly problems: readonly IntegrityProblem[];
}

/**
 * What a signed checkpoint says about one stream, as the verifier needs it: the highest sealed
 * version and its link hash, plus what else is known (every sealed version's event id and link
 * hash when the whole checkpoint file was read; only the head's when an index of the latest is).
 */
export interface StreamSeal {
  readonly version: number;
  readonly hash: string;
  /** The checkpoint (sequence number) that sealed `version`. */
  readonly seq: number;
  /** Sealed event ids by version (complete from 1 when `complete`). */
  readonly ids: ReadonlyMap<number, string>;
  readonly complete: boolean;
  /** Link hashes of the stream's heads at each checkpoint that sealed it. */
  readonly hashes: ReadonlyMap<number, string>;
  /** Versions whose MAC the checkpoint writer found invalid when it sealed them. */
  readonly forged: ReadonlySet<number>;
}

export interface SealLookup {
  get(streamId: string): StreamSeal | undefined;
  /** Every sealed stream, so a stream deleted as a whole is found too. */
  streamIds(): Iterable<string>;
}

export interface VerifyOptions {
  readonly streamIds?: readonly string[];
  readonly onProgress?: (done: number) => void;
  /** Signed checkpoints to compare the stored streams with. */
  readonly seals?: SealLookup;
  /** An external auditor holds only the public key: leave the MACs unchecked rather than fail them. */
  readonly skipMacs?: boolean;
}

export interface IntegrityReport {
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** Events stored without a MAC before keyed evidence began (not counted as tampered). */
  readonly unkeyedEvents: number;
  /** False when the verifier had no MAC key (an external auditor's check). */
  readonly macsChecked: boolean;
  /** Every stream whose evidence fails, each with every reason found. */
  readonly broken: readonly BrokenStream[];
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
  /**
   * Recomputes every stream's hash chain (or the named streams'), checks each event's MAC when the
   * codec holds the key, compares with the signed checkpoints given, and lists every broken stream.
   */
  verifyIntegrity(options?: VerifyOptions): Promise<IntegrityReport>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');
