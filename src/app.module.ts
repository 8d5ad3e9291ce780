import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppealsModule } from './appeals/appeals.module';
import { AccessLogModule } from './audit/access-log';
import { AuditModule } from './audit/audit.module';
import { WorkQueueModule } from './work-queue/work-queue.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { AuthModule } from './auth/auth.module';
import { ClockModule } from './shared/clock';
import { WebModule } from './web/web.module';
import { MetricsModule } from './metrics/metrics.module';
import { LoggingModule } from './logging/logging.module';
import { BatchesModule } from './batches/batches.module';
import { Settings, SettingsModule } from './config/settings.module';
import { DatabaseModule } from './database/database.module';
import { HouseholdModule } from './household/household.module';
import { DemoModule } from './demo/demo.module';
import { EventStoreModule } from './event-store/event-store.module';
import { IntegrityModule } from './event-store/integrity/integrity.module';
import { HealthModule } from './health/health.module';
import { NotificationModule } from './notification/notification.module';
import { ProjectionRunnerModule } from './projection-runner/projection-runner.module';
import { ReferenceModule } from './reference/reference.module';
import { RegistrationModule } from './registration/registration.module';
import { ErasureModule } from './erasure/erasure.module';
import { StatusChangesModule } from './status-changes/status-changes.module';
import { StatusCheckModule } from './status-check/status-check.module';
import { ProgramsModule } from './programs/programs.module';

/** The shared mechanisms every context needs (HTTP app and CLI alike). */
export function coreModules(settings: Settings): DynamicModule['imports'] {
  return [
    SettingsModule.forRoot(settings),
    DatabaseModule,
    MetricsModule,
    EventStoreModule,
    IntegrityModule,
    ProjectionRunnerModule,
    CqrsModule.forRoot(),
    ReferenceModule,
    AuthModule,
    AccessLogModule,
    ClockModule,
    WebModule,
  ];
}

/** The features, each in its own folder. */
export const featureModules = [
  RegistrationModule,
  HouseholdModule,
  StatusChangesModule,
  ProgramsModule,
  AppealsModule,
  BatchesModule,
  AuditModule,
  WorkQueueModule,
  DashboardModule,
  StatusCheckModule,
  NotificationModule,
  DemoModule,
  ErasureModule,
];

@Module({})
export class AppModule {
  static forRoot(settings: Settings): DynamicModule {
    return { module: AppModule, imports: [...coreModules(settings)!, LoggingModule, HealthModule, ...featureModules] };
  }
}
