import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { VillageListController } from './village-list.controller';
import { VillageListImport } from './village-list-import.service';
import { Settings, SETTINGS } from '../config/settings.module';
import { DocumentsModule } from '../documents/documents.module';
import { DukcapilModule } from '../dukcapil/dukcapil.module';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { EventTypeRegistry } from '../event-store/event-types';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { HOUSEHOLD_PERSONAL_FIELDS } from '../household/events';
import { derivedSecret } from '../auth/tokens.service';
import { BatchDecisions } from './batch-decisions.service';
import { ERASED_MEMBER } from './application';
import { REGISTRATION_PERSONAL_FIELDS } from './events';
import { ERASED } from '../event-store/crypto-shredding';
import { BatchDecisionHandler } from './handlers/batch-decision.handler';
import { RegistrationCommandHandler } from './handlers/registration-command.handler';
import { NikClaims } from './nik-claims';
import { RegistrationCases } from './registration-cases.service';
import { CaseCommandsController } from './case-commands.controller';
import { RegistrationController } from './registration.controller';
import { BatchApprovalPages } from './batch-approval.pages';
import { CasePages } from './case.pages';
import { RegistrationPages } from './registration.pages';
import { RegistrationQueries } from './registration-queries.service';
import { VervalController } from './verval.controller';

/** What erased structured fields read as (see PersonalDataSpec.erased): lists empty, members blanked. */
const ERASED_SHAPES = {
  'application.members': [],
  'application.contact': {},
  'application.proposer': { fullName: ERASED },
  members: [],
  member: ERASED_MEMBER,
  corrections: {},
};

const CommandHandlers = [RegistrationCommandHandler, BatchDecisionHandler];

@Module({
  imports: [DukcapilModule, DocumentsModule, EligibilityModule],
  providers: [
    ...CommandHandlers,
    RegistrationCases,
    RegistrationQueries,
    BatchDecisions,
    VillageListImport,
    {
      provide: NikClaims,
      inject: [EVENT_STORE, SETTINGS],
      // The claim key must never change: a new key would hide every existing claim.
      useFactory: (store: EventStore, s: Settings) => new NikClaims(store, derivedSecret(s.keyEncryptionKey, 'nik-claim')),
    },
  ],
  controllers: [
    RegistrationController,
    CaseCommandsController,
    VervalController,
    RegistrationPages,
    CasePages,
    BatchApprovalPages,
    VillageListController,
  ],
  exports: [RegistrationCases, RegistrationQueries, DukcapilModule, DocumentsModule, NikClaims],
})
export class RegistrationModule implements OnModuleInit {
  constructor(@Inject(EventTypeRegistry) private readonly registry: EventTypeRegistry) {}

  /** Personal fields are encrypted per case (and per household) so they can be crypto-shredded. */
  onModuleInit(): void {
    const bySubjectStream = (fields: Record<string, string[] | undefined>) =>
      Object.entries(fields).map(([type, paths]) => ({
        type,
        schemaVersion: 1,
        personalData: { subject: (_: unknown, streamId: string) => streamId, fields: paths!, erased: ERASED_SHAPES },
      }));
    this.registry.register(
      ...bySubjectStream(REGISTRATION_PERSONAL_FIELDS),
      ...bySubjectStream({ FieldVerificationRecorded: ['notes'] }),
      ...bySubjectStream(HOUSEHOLD_PERSONAL_FIELDS),
    );
  }
}
