import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authorizePermission, Permission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { RecordedEvent } from '../event-store/envelope';
import { StreamIntegrity, StreamIntegrityChecks } from '../event-store/integrity/stream-integrity';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { comparePositions } from '../event-store/position';
import { ApiError } from '../shared/http/api-error';
import { householdAsOf, HouseholdAsOf } from './time-travel';
import { TimelineEntry, toTimelineEntry } from './timeline';
import { explain, WhyAnswer } from './why';

export const CASE_KINDS = ['registration', 'statuschange', 'banding', 'sanggah'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export interface Trail {
  readonly subject: { readonly type: 'household' | CaseKind; readonly id: string; readonly villageCode: string };
  /** The trail's own streams checked now: chain, MACs and latest signed checkpoint. */
  readonly integrity: StreamIntegrity;
  readonly entries: readonly TimelineEntry[];
}

/**
 * Audit trails read from the log itself: a household's (its stream, the cases about it, its own
 * entries on program lists, found through the audit-links index) or one case's. Every read is
 * checked against the reader's role and region and recorded in the access log.
 */
@Injectable()
export class AuditTrails {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly integrityChecks: StreamIntegrityChecks,
  ) {}

  async household(householdId: string, reader: Principal): Promise<Trail> {
    const { events, villageCode } = await this.householdEvents(householdId, reader);
    return {
      subject: { type: 'household', id: householdId, villageCode },
      integrity: await this.integrity(ownStreams(events)),
      entries: events.map(toTimelineEntry),
    };
  }

  async case(kind: CaseKind, caseId: string, reader: Principal): Promise<Trail> {
    const streamId = `${kind}-${caseId}`;
    const events = await this.store.readStream(streamId);
    if (events.length === 0) throw ApiError.notFound({ id: 'Kasus', en: 'Case' });
    const first = events[0].data as { villageCode?: string; application?: { villageCode: string } };
    const villageCode = first.villageCode ?? first.application?.villageCode ?? '';
    this.authorize(reader, 'audit:read', villageCode);
    return {
      subject: { type: kind, id: caseId, villageCode },
      integrity: await this.integrity([streamId]),
      entries: events.map(toTimelineEntry),
    };
  }

  /** The household's trail entries without the integrity check (for exports of many households). */
  async householdEntries(householdId: string, reader: Principal): Promise<TimelineEntry[]> {
    return (await this.householdEvents(householdId, reader)).events.map(toTimelineEntry);
  }

  async why(householdId: string, program: string, reader: Principal): Promise<WhyAnswer & { integrity: StreamIntegrity }> {
    const { events } = await this.householdEvents(householdId, reader);
    const answer = explain(householdId, program, events.map(toTimelineEntry));
    return { ...answer, integrity: await this.integrity(ownStreams(events)) };
  }

  async asOf(householdId: string, when: { asOf?: string; knownAt?: string }, reader: Principal): Promise<HouseholdAsOf> {
    const { events } = await this.householdEvents(householdId, reader);
    return householdAsOf(householdId, events, when);
  }

  /** The household's events and those about it, in global order. */
  private async householdEvents(
    householdId: string,
    reader: Principal,
  ): Promise<{ events: RecordedEvent[]; villageCode: string }> {
    const own = await this.store.readStream(`household-${householdId}`);
    if (own.length === 0) {
      // Its rows may all be quarantined (edited or forged in the database): say so, not "not found".
      const integrity = await this.integrity([`household-${householdId}`]);
      if (integrity.streamsChecked > 0 && !integrity.intact) {
        throw new ApiError(409, 'INTEGRITY_BROKEN', integrity.message, integrity.broken);
      }
      throw ApiError.notFound({ id: 'Rumah tangga', en: 'Household' });
    }
    // Its data follows a household that moved: the region is where it lives now.
    const placed = (own.filter((e) => e.type === 'HouseholdMoved').at(-1) ?? own[0]).data as {
      toVillageCode?: string;
      villageCode?: string;
    };
    const villageCode = placed.toVillageCode ?? placed.villageCode!;
    this.authorize(reader, 'audit:read', villageCode);
    const links: Array<{ stream_id: string; stream_version: number | null }> = await this.dataSource.query(
      'select stream_id, stream_version from audit_links where household_id = $1',
      [householdId],
    );
    const linked = await Promise.all(
      links.map((l) =>
        l.stream_version === null
          ? this.store.readStream(l.stream_id)
          : this.store.readStream(l.stream_id, { fromVersion: l.stream_version, limit: 1 }),
      ),
    );
    const events = [...own, ...linked.flat()].sort((a, b) => comparePositions(a.position, b.position));
    return { events, villageCode };
  }

  private integrity(streamIds: readonly string[]): Promise<StreamIntegrity> {
    return this.integrityChecks.check(streamIds);
  }

  private authorize(reader: Principal, permission: Permission, villageCode: string): void {
    const denied = authorizePermission(reader, permission, villageCode);
    if (denied) throw ApiError.fromRejection(denied);
  }
}

/** The streams a household's trail is made of (program lists are shared: their entries only). */
function ownStreams(events: readonly RecordedEvent[]): string[] {
  return [...new Set(events.filter((e) => !e.streamId.startsWith('enrolment-')).map((e) => e.streamId))];
}
