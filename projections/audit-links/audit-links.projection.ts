import { EntityManager } from 'typeorm';
import { RecordedEvent } from '../../src/event-store/envelope';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';

type WithHousehold = { householdId?: string; subject?: { householdId?: string } };

/**
 * The index behind a household's audit trail: the registration case that established it, its
 * status-change cases, appeals and objections (whole streams), and its own entries on the
 * program lists (single events of streams shared by a whole regency).
 */
export class AuditLinksProjection extends Projection {
  readonly name = 'audit-links';
  readonly tables = ['audit_links'];
  protected readonly handlers: Record<string, ProjectionHandler> = {
    RegistrationEstablished: (e, m) => this.link(m, (e.data as WithHousehold).householdId, e.streamId, null),
    StatusChangeRequested: (e, m) => this.link(m, (e.data as WithHousehold).householdId, e.streamId, null),
    AppealFiled: (e, m) => this.link(m, (e.data as WithHousehold).subject?.householdId, e.streamId, null),
    ObjectionFiled: (e, m) => this.link(m, (e.data as WithHousehold).subject?.householdId, e.streamId, null),
    HouseholdEnrolled: (e, m) => this.linkEvent(m, e),
    HouseholdWaitlisted: (e, m) => this.linkEvent(m, e),
    HouseholdLeftWaitlist: (e, m) => this.linkEvent(m, e),
    HouseholdExited: (e, m) => this.linkEvent(m, e),
  };

  private linkEvent(m: EntityManager, e: RecordedEvent): Promise<void> {
    return this.link(m, (e.data as WithHousehold).householdId, e.streamId, e.streamVersion);
  }

  private async link(m: EntityManager, householdId: string | undefined, streamId: string, version: number | null): Promise<void> {
    if (!householdId) return; // an appeal against a Tidak Layak result: no household yet
    await m.query(
      'insert into audit_links (household_id, stream_id, stream_version) values ($1, $2, $3) on conflict do nothing',
      [householdId, streamId, version],
    );
  }
}
