import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { ERASED } from '../event-store/crypto-shredding';
import { EventTypeRegistry } from '../event-store/event-types';
import { RegistrationModule } from '../registration/registration.module';
import { StatusChangesModule } from '../status-changes/status-changes.module';
import { AppealsController } from './appeals.controller';
import { Appeals } from './appeals.service';
import { ObjectionsController } from './objections.controller';
import { ReviewPages } from './review.pages';

@Module({
  imports: [RegistrationModule, StatusChangesModule],
  providers: [Appeals],
  controllers: [AppealsController, ObjectionsController, ReviewPages],
  exports: [Appeals],
})
export class AppealsModule implements OnModuleInit {
  constructor(@Inject(EventTypeRegistry) private readonly registry: EventTypeRegistry) {}

  /** The objector's identity is encrypted per objection. */
  onModuleInit(): void {
    this.registry.register({
      type: 'ObjectionFiled',
      schemaVersion: 1,
      personalData: {
        subject: (_: unknown, streamId: string) => streamId,
        fields: ['objector'],
        erased: { objector: { nik: ERASED, fullName: ERASED } },
      },
    });
  }
}
