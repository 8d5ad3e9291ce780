import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '../app.module';
import { Settings } from '../config/settings.module';
import { EventsVerifyCommand } from './events.commands';
import { ProjectionsRebuildCommand, ProjectionsStatusCommand } from './projections.commands';

@Module({})
export class CliModule {
  static forRoot(settings: Settings): DynamicModule {
    return {
      module: CliModule,
      imports: coreModules(settings),
      providers: [ProjectionsStatusCommand, ProjectionsRebuildCommand, EventsVerifyCommand],
    };
  }
}
