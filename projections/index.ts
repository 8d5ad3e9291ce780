import { Projection } from '../src/projection-runner/projection';
import { NameKey } from '../src/status-check/name-key';
import { AuditLinksProjection } from './audit-links/audit-links.projection';
import { HouseholdRow } from './households/household.entity';
import { HouseholdsProjection } from './households/households.projection';
import { NotificationOutboxProjection } from './notification-outbox/notification-outbox.projection';
import { OutboxNotification } from './notification-outbox/notification.entity';
import { RegistrationCaseRow } from './registration-cases/registration-case.entity';
import { RegistrationCasesProjection } from './registration-cases/registration-cases.projection';
import { StatusCheckRow } from './status-check/status-check.entity';
import { StatusCheckProjection } from './status-check/status-check.projection';
import { WorkQueueProjection } from './work-queue/work-queue.projection';
import { ProgramListsProjection } from './program-lists/program-lists.projection';
import { StreamCatalogueEntry } from './stream-catalogue/stream-catalogue.entity';
import { StreamCatalogueProjection } from './stream-catalogue/stream-catalogue.projection';

/** Every read model's TypeORM entities, for the data source. */
export const readModelEntities: Function[] = [
  StreamCatalogueEntry,
  RegistrationCaseRow,
  OutboxNotification,
  HouseholdRow,
  StatusCheckRow,
];

/** Every projection the runner keeps up to date; `nameKey` hashes names for the status check. */
export function createProjections(options: { nameKey: NameKey }): Projection[] {
  return [
    new StreamCatalogueProjection(),
    new RegistrationCasesProjection(),
    new NotificationOutboxProjection(),
    new HouseholdsProjection(),
    new StatusCheckProjection(options.nameKey),
    new AuditLinksProjection(),
    new WorkQueueProjection(),
    new ProgramListsProjection(),
  ];
}
