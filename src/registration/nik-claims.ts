import { createHmac } from 'node:crypto';
import { NewEvent } from '../event-store/envelope';
import { EventStore, StreamAppend } from '../event-store/port';

/**
 * One NIK belongs to at most one open case or household. Each NIK has a claim stream whose id is
 * a keyed hash of the NIK (the id reveals nothing); appending to it with the version read during
 * the duplicate check makes two concurrent claims of one NIK collide instead of both succeeding.
 */
export type NikClaimEvent = { type: 'NikClaimed'; data: { holder: string } } | { type: 'NikReleased'; data: { holder: string } };

export interface NikClaim {
  readonly streamId: string;
  readonly version: number;
  readonly holder?: string;
}

export class NikClaims {
  constructor(
    private readonly store: EventStore,
    private readonly secret: Buffer,
  ) {}

  streamId(nik: string): string {
    return `nikclaim-${createHmac('sha256', this.secret).update(nik).digest('hex').slice(0, 40)}`;
  }

  async read(nik: string): Promise<NikClaim> {
    const streamId = this.streamId(nik);
    const events = await this.store.readStream(streamId);
    const last = events.at(-1) as { type: NikClaimEvent['type']; data: { holder: string } } | undefined;
    return {
      streamId,
      version: events.length ? events[events.length - 1].streamVersion : 0,
      holder: last?.type === 'NikClaimed' ? last.data.holder : undefined,
    };
  }

  async readAll(niks: readonly string[]): Promise<Map<string, NikClaim>> {
    const claims = await Promise.all(niks.map(async (nik) => [nik, await this.read(nik)] as const));
    return new Map(claims);
  }

  /**
   * The appends that move claims from `before` to `after` for `holder` (and, on establishment,
   * hand them to a household), each expecting the version that was read.
   */
  changes(
    known: ReadonlyMap<string, NikClaim>,
    holder: string,
    before: readonly string[],
    after: readonly string[],
    metadata: NewEvent['metadata'],
    handOverTo?: string,
  ): StreamAppend[] {
    return [...claimChanges(holder, before, after, handOverTo)].map(([nik, events]) => {
      const claim = known.get(nik)!;
      return { streamId: claim.streamId, expectedVersion: claim.version, events: events.map((e) => ({ ...e, metadata })) };
    });
  }
}

/** Per NIK whose claim changes from `before` to `after`: its claim events for `holder`, handed to `handOverTo` if set. */
export function claimChanges(
  holder: string,
  before: readonly string[],
  after: readonly string[],
  handOverTo?: string,
): Map<string, NikClaimEvent[]> {
  const changes = new Map<string, NikClaimEvent[]>();
  for (const nik of after.filter((n) => !before.includes(n))) changes.set(nik, [{ type: 'NikClaimed', data: { holder } }]);
  for (const nik of before.filter((n) => !after.includes(n))) {
    const handOver: NikClaimEvent[] = handOverTo ? [{ type: 'NikClaimed', data: { holder: handOverTo } }] : [];
    changes.set(nik, [{ type: 'NikReleased', data: { holder } }, ...handOver]);
  }
  return changes;
}
