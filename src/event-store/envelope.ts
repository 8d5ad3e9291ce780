import { GlobalPosition } from './position';

/** A reference to a piece of evidence: a stored document (by content hash) or a link. */
export interface EvidenceRef {
  readonly kind: string;
  readonly sha256?: string;
  readonly uri?: string;
  readonly description?: string;
}

export interface Actor {
  readonly userId: string;
  readonly role: string;
  readonly region: string;
}

/** What every event says about why and by whom it was recorded. */
export interface EventMetadata {
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: Actor;
  readonly reason?: string;
  readonly evidence?: readonly EvidenceRef[];
  /** Versions of the rules or models that decided, e.g. `{ pmt: "2026.1" }`. */
  readonly ruleVersions?: Readonly<Record<string, string>>;
  /** When the fact happened in the world (a death date), where it differs from recordedAt. */
  readonly effectiveAt?: string;
  /** Set by the event store at append (ISO 8601). */
  readonly recordedAt?: string;
  readonly [extra: string]: unknown;
}

/** An event to append. The id makes the append idempotent; it is generated when absent. */
export interface NewEvent<Data = unknown> {
  readonly eventId?: string;
  readonly type: string;
  readonly data: Data;
  readonly metadata?: EventMetadata;
}

export interface RecordedEvent<Data = unknown> {
  readonly eventId: string;
  readonly type: string;
  /** The schema version the event is presented in (after upcasting). */
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata & { readonly recordedAt: string };
  readonly streamId: string;
  /** 1 for the first event of a stream. */
  readonly streamVersion: number;
  readonly position: GlobalPosition;
  /** Hash-chain link: sha256 over the previous event's hash and this event's stored content. */
  readonly hash: string;
  /** Paths of personal fields whose key was destroyed; their values read as ERASED. */
  readonly erasedFields: readonly string[];
}

/** The category of a stream is its name up to the first dash: `registration-123` → `registration`. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
