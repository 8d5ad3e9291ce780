import { EntityManager } from 'typeorm';
import { RecordedEvent } from '../../src/event-store/envelope';
import { Projection, ProjectionHandler } from '../../src/projection-runner/projection';
import { NotificationTemplate } from '../../src/notification/templates';
import { RegistrationEvent } from '../../src/registration/events';
import { OutboxNotification } from './notification.entity';

type Derived = { template: NotificationTemplate; reasons: unknown[] } | undefined;
type Outcome<T extends RegistrationEvent['type']> = (
  event: Extract<RegistrationEvent, { type: T }>,
  recorded: RecordedEvent,
) => Derived;

const reasonOf = (recorded: RecordedEvent): unknown[] =>
  recorded.metadata.reason ? [{ message: { id: recorded.metadata.reason, en: recorded.metadata.reason } }] : [];

/** Which outcomes the applicant must learn, and with which reasons. */
const OUTCOMES: { [T in RegistrationEvent['type']]?: Outcome<T> } = {
  AutomaticChecksFailed: (e) => ({ template: 'PERLU_PERBAIKAN', reasons: e.data.reasons }),
  RegistrationValidationFailed: (_e, r) => ({ template: 'PERLU_PERBAIKAN', reasons: reasonOf(r) }),
  DocumentsFoundIncomplete: (e, r) => ({ template: 'DATA_TIDAK_LENGKAP', reasons: [...e.data.missing, ...reasonOf(r)] }),
  EligibilityAssessed: (e) =>
    e.data.result.outcome === 'perlu_verifikasi_lanjutan'
      ? undefined
      : { template: e.data.result.outcome === 'layak' ? 'LAYAK' : 'TIDAK_LAYAK', reasons: [] },
  EligibilityOverrideDecided: (e, r) => ({
    template: e.data.outcome === 'layak' ? 'LAYAK' : 'TIDAK_LAYAK',
    reasons: reasonOf(r),
  }),
  ApprovalDecided: (e, r) => (e.data.approved ? undefined : { template: 'DITOLAK', reasons: reasonOf(r) }),
  RegistrationEstablished: () => ({ template: 'DITETAPKAN', reasons: [] }),
};

/** The outbox: one row per outcome to notify, written in the same transaction as the checkpoint. */
export class NotificationOutboxProjection extends Projection {
  readonly name = 'notification-outbox';
  readonly tables = ['notification_outbox'];
  protected readonly handlers: Record<string, ProjectionHandler> = Object.fromEntries(
    Object.entries(OUTCOMES).map(([type, outcome]) => [
      type,
      async (event: RecordedEvent, manager: EntityManager) => {
        const derived = (outcome as Outcome<RegistrationEvent['type']>)(event as never, event);
        if (!derived) return;
        await manager.insert(OutboxNotification, {
          id: event.eventId,
          caseId: event.streamId.slice('registration-'.length),
          template: derived.template,
          reasons: derived.reasons as object[],
          createdAt: new Date(event.metadata.recordedAt),
        });
      },
    ]),
  );
}
