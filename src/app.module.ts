import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Settings, SettingsModule } from './config/settings.module';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { ProjectionRunnerModule } from './projection-runner/projection-runner.module';

/** The shared mechanisms every context needs (HTTP app and CLI alike). */
export function coreModules(settings: Settings): DynamicModule['imports'] {
  return [SettingsModule.forRoot(settings), DatabaseModule, EventStoreModule, ProjectionRunnerModule, CqrsModule.forRoot()];
}

@Module({})
export class AppModule {
  static forRoot(settings: Settings): DynamicModule {
    return { module: AppModule, imports: [...coreModules(settings)!, HealthModule] };
  }
}
