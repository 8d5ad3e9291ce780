import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '../app.module';
import { Settings } from '../config/settings.module';
import { EventsCheckpointsCommand, EventsVerifyCommand } from './events.commands';
import { ProjectionsRebuildCommand, ProjectionsStatusCommand } from './projections.commands';
import { DukcapilModule } from '../dukcapil/dukcapil.module';
import { DukcapilImportCommand } from './dukcapil.commands';
import { UsersCreateCommand, UsersListCommand } from './users.commands';
import { SyntheticModule } from '../synthetic/synthetic.module';
import { PopulationGenerateCommand } from './population.commands';

@Module({})
export class CliModule {
  static forRoot(settings: Settings): DynamicModule {
    return {
      module: CliModule,
      imports: [...coreModules(settings)!, DukcapilModule, SyntheticModule],
      providers: [
        ProjectionsStatusCommand,
        ProjectionsRebuildCommand,
        EventsVerifyCommand,
        EventsCheckpointsCommand,
        UsersCreateCommand,
        UsersListCommand,
        DukcapilImportCommand,
        PopulationGenerateCommand,
      ],
    };
  }
}
