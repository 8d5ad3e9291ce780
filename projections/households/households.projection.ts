import { EntityManager } from 'typeorm';
import { RecordedEvent } from '../../src/event-store/envelope';
import { HouseholdEvent } from '../../src/household/events';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';
import { StatusChangeEvent } from '../../src/status-changes/status-change';
import { HouseholdRow } from './household.entity';

type Recorded<E> = RecordedEvent & E;
const idOf = (event: RecordedEvent): string => event.streamId.slice(event.streamId.indexOf('-') + 1);

/** The household directory, for the re-verification schedule and region lists. */
export class HouseholdsProjection extends Projection {
  readonly name = 'households';
  readonly tables = ['households'];
  protected readonly handlers: Record<string, ProjectionHandler> = {
    HouseholdEstablished: async (event, m) => {
      const e = event as Recorded<Extract<HouseholdEvent, { type: 'HouseholdEstablished' }>>;
      const at = new Date(event.metadata.recordedAt);
      await m.insert(HouseholdRow, {
        householdId: idOf(event),
        villageCode: e.data.villageCode,
        active: true,
        desil: e.data.desil,
        establishedAt: at,
        lastVerifiedAt: at,
        reverificationCaseId: null,
      });
    },
    HouseholdMoved: (event, m) =>
      this.update(m, idOf(event), {
        villageCode: (event as Recorded<Extract<HouseholdEvent, { type: 'HouseholdMoved' }>>).data.toVillageCode,
      }),
    HouseholdDeactivated: (event, m) => this.update(m, idOf(event), { active: false }),
    HouseholdReinstated: (event, m) => this.update(m, idOf(event), { active: true }),
    HouseholdReranked: (event, m) => this.update(m, idOf(event), { desil: (event.data as { desil: number }).desil }),
    HouseholdReverified: (event, m) =>
      this.update(m, idOf(event), { lastVerifiedAt: new Date(event.metadata.recordedAt), reverificationCaseId: null }),
    StatusChangeRequested: async (event, m) => {
      const e = event as Recorded<Extract<StatusChangeEvent, { type: 'StatusChangeRequested' }>>;
      if (e.data.details.kind === 'VERIFIKASI_ULANG')
        await this.update(m, e.data.householdId, { reverificationCaseId: e.data.caseId });
    },
    // A re-verification that was not approved (the household could not be verified) frees the slot.
    StatusChangeRejected: async (event, m) => {
      await m.update(HouseholdRow, { reverificationCaseId: idOf(event) }, { reverificationCaseId: null });
    },
    StatusChangeWithdrawn: async (event, m) => {
      await m.update(HouseholdRow, { reverificationCaseId: idOf(event) }, { reverificationCaseId: null });
    },
  };

  private async update(m: EntityManager, householdId: string, changes: Partial<HouseholdRow>): Promise<void> {
    await m.update(HouseholdRow, { householdId }, changes);
  }
}
