import { EntityManager, In } from 'typeorm';
import { RecordedEvent } from '../../src/event-store/envelope';
import { EventFilter } from '../../src/event-store/port';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';
import { statusAfter } from '../../src/registration/decider';
import { RegistrationEvent } from '../../src/registration/events';
import { CaseState, NO_CASE, VERVAL_STATES, VervalState } from '../../src/registration/verval-state-machine';
import { RegistrationCaseRow } from './registration-case.entity';

/** The case directory. The status comes from the decider's own `statusAfter`, so no rule is repeated here. */
export class RegistrationCasesProjection extends Projection {
  readonly name = 'registration-cases';
  readonly tables = ['registration_cases'];
  protected readonly handlers: Record<string, ProjectionHandler> = {};

  override get filter(): EventFilter {
    return { categories: ['registration'] };
  }

  override async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const rows = new Map<string, RegistrationCaseRow>();
    const caseIds = [...new Set(events.map((e) => e.streamId.slice('registration-'.length)))];
    for (const row of await manager.findBy(RegistrationCaseRow, { caseId: In(caseIds) })) rows.set(row.caseId, row);
    for (const event of events) {
      const caseId = event.streamId.slice('registration-'.length);
      const row = rows.get(caseId) ?? this.newRow(caseId, event);
      if (!row) continue;
      this.applyEvent(row, event as unknown as RecordedEvent & RegistrationEvent);
      rows.set(caseId, row);
    }
    if (rows.size > 0) await manager.save(RegistrationCaseRow, [...rows.values()]);
  }

  private newRow(caseId: string, event: RecordedEvent): RegistrationCaseRow | undefined {
    if (event.type !== 'RegistrationDraftSaved') return undefined;
    return Object.assign(new RegistrationCaseRow(), {
      caseId,
      status: NO_CASE,
      registrationNumber: null,
      householdId: null,
      lastBatchId: null,
      submittedAt: null,
    });
  }

  private applyEvent(row: RegistrationCaseRow, event: RecordedEvent & RegistrationEvent): void {
    const status = statusAfter(row.status as CaseState, event) as VervalState;
    Object.assign(row, {
      status,
      stage: VERVAL_STATES[status].stage,
      version: event.streamVersion,
      updatedAt: new Date(event.metadata.recordedAt),
    });
    if (typeof event.metadata.batchId === 'string') row.lastBatchId = event.metadata.batchId;
    switch (event.type) {
      case 'RegistrationDraftSaved':
        row.villageCode = event.data.application.villageCode;
        row.channel = event.data.channel;
        break;
      case 'RegistrationSubmitted':
        row.registrationNumber = event.data.registrationNumber;
        row.submittedAt = new Date(event.metadata.recordedAt);
        break;
      case 'RegistrationEstablished':
        row.householdId = event.data.householdId;
        break;
    }
  }
}
