import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { ERASED_MEMBER } from '../registration/application';
import { EventTypeRegistry } from '../event-store/event-types';
import { DocumentsModule } from '../documents/documents.module';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { StatusChangesController } from './status-changes.controller';
import { RegistrationModule } from '../registration/registration.module';
import { SignalsController } from '../signals/signals.controller';
import { Signals } from '../signals/signals.service';
import { StatusChanges } from './status-changes.service';
import { ReverificationSchedule } from '../reverification/reverification-schedule';

@Module({
  imports: [DocumentsModule, RegistrationModule, EligibilityModule],
  providers: [StatusChanges, Signals, ReverificationSchedule],
  controllers: [StatusChangesController, SignalsController],
  exports: [StatusChanges, ReverificationSchedule],
})
export class StatusChangesModule implements OnModuleInit {
  constructor(@Inject(EventTypeRegistry) private readonly registry: EventTypeRegistry) {}

  /** A birth brings a new member's data, a move a new address: encrypted per case. */
  onModuleInit(): void {
    this.registry.register({
      type: 'StatusChangeRequested',
      schemaVersion: 1,
      personalData: {
        subject: (_: unknown, streamId: string) => streamId,
        // A data correction (perbaikan data) carries a corrected name: personal as well.
        fields: ['details.member', 'details.address', 'details.corrections'],
        erased: { 'details.member': ERASED_MEMBER, 'details.corrections': {} },
      },
    });
  }
}
