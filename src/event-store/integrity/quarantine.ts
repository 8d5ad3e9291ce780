import { Logger } from '@nestjs/common';
import { StoredEvent } from '../codec';
import { comparePositions, formatPosition, GlobalPosition } from '../position';
import { macMatches } from './keys';

export type QuarantineReason = 'mac-mismatch' | 'mac-missing';

export interface QuarantinedEvent {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position: string;
  readonly reason: QuarantineReason;
}

/** How many of the latest quarantined events /health lists. */
const RECENT = 5;

/**
 * Events read from the store that the app did not write: their MAC fails, or they lack one
 * although newer than the first keyed event. They never reach deciders, projections or sagas
 * (docs/adr/0002-tamper-evidence.md); each is logged once, without personal data.
 */
export class QuarantineLog {
  private readonly logger = new Logger('Quarantine');
  private readonly seen = new Set<string>();
  private readonly latest: QuarantinedEvent[] = [];

  get count(): number {
    return this.seen.size;
  }

  recent(): readonly QuarantinedEvent[] {
    return [...this.latest];
  }

  record(row: StoredEvent, reason: QuarantineReason): void {
    if (this.seen.has(row.eventId)) return;
    this.seen.add(row.eventId);
    const entry = { streamId: row.streamId, streamVersion: row.streamVersion, position: formatPosition(row.position), reason };
    this.latest.push(entry);
    if (this.latest.length > RECENT) this.latest.shift();
    this.logger.error(
      `event quarantined (${reason}): stream ${entry.streamId} version ${entry.streamVersion} position ${entry.position}` +
        ' was not written by the app; it takes no effect',
    );
  }
}

/** Where the store's keyed events begin (undefined while it has none). */
export type KeyedSince = () => Promise<GlobalPosition | undefined>;

/** While the store holds no keyed event yet, looks again at most this often. */
const UNKEYED_RECHECK_MS = 10_000;

/**
 * Decides, per stored row, whether the app wrote it: its MAC matches, or it is a legacy event
 * from before keyed evidence began. The "keyed since" position is cached once known: it can only
 * be reached by going back in the log, which a later keyed append never does.
 */
export class QuarantineGate {
  private keyedSinceFn?: KeyedSince;
  private known?: GlobalPosition;
  private lastLookup = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly macKey: Buffer,
    readonly log: QuarantineLog,
  ) {}

  useKeyedSince(fn: KeyedSince): void {
    this.keyedSinceFn = fn;
  }

  /** The app just wrote keyed events: while none were known, the next unkeyed row looks again. */
  keyedWritten(): void {
    if (!this.known) this.lastLookup = Number.NEGATIVE_INFINITY;
  }

  /** The reason a row is quarantined, or undefined when the app wrote it. */
  async verdict(rows: readonly StoredEvent[]): Promise<Map<StoredEvent, QuarantineReason>> {
    const out = new Map<StoredEvent, QuarantineReason>();
    for (const row of rows) {
      if (row.mac) {
        if (!macMatches(this.macKey, row, row.mac)) out.set(row, 'mac-mismatch');
      } else if (await this.afterKeyedSince(row.position)) out.set(row, 'mac-missing');
    }
    for (const [row, reason] of out) this.log.record(row, reason);
    return out;
  }

  private async afterKeyedSince(position: GlobalPosition): Promise<boolean> {
    if (!this.known && this.keyedSinceFn && Date.now() - this.lastLookup >= UNKEYED_RECHECK_MS) {
      this.lastLookup = Date.now();
      this.known = await this.keyedSinceFn();
    }
    return this.known !== undefined && comparePositions(position, this.known) > 0;
  }
}
