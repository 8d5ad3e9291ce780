import { BeforeApplicationShutdown, Global, Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createProjections } from '../../projections';
import { nameKeyFor } from '../status-check/name-key';
import { Settings, SETTINGS } from '../config/settings.module';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { ProjectionRunner } from './projection-runner';
import { ProjectionRunners } from './projection-runners';
import { ReadModelFreshness } from './read-model-freshness';

@Injectable()
class ProjectionRunnerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.runProjections) this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop(); // finish the batch in hand, then let the store close
  }
}

@Global()
@Module({
  providers: [
    { provide: ProjectionRunners, useFactory: () => new ProjectionRunners() },
    {
      provide: ProjectionRunner,
      inject: [DataSource, EVENT_STORE, SETTINGS, ProjectionRunners],
      useFactory: (ds: DataSource, store: EventStore, s: Settings, runners: ProjectionRunners) => {
        const runner = new ProjectionRunner(ds, store, createProjections({ nameKey: nameKeyFor(s.keyEncryptionKey) }), {
          batchSize: s.config.projectionBatchSize,
        });
        runners.register(runner);
        return runner;
      },
    },
    ProjectionRunnerLifecycle,
    ReadModelFreshness,
  ],
  exports: [ProjectionRunner, ProjectionRunners, ReadModelFreshness],
})
export class ProjectionRunnerModule {}
