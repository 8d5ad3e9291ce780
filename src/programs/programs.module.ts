import { BeforeApplicationShutdown, Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Settings, SETTINGS } from '../config/settings.module';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { ProjectionRunners } from '../projection-runner/projection-runners';
import { EnrolmentSaga } from './enrolment.saga';
import { Enrolments } from './enrolments.service';
import { ProgramCaps, ProgramCatalogue } from './program-catalogue';
import { ProgramsController } from './programs.controller';

export const SAGA_RUNNER = Symbol('SagaRunner');

@Injectable()
class SagaLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(SAGA_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.runProjections) this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

@Module({
  providers: [
    { provide: ProgramCatalogue, useFactory: () => new ProgramCatalogue() },
    { provide: ProgramCaps, useFactory: () => new ProgramCaps() },
    Enrolments,
    {
      provide: SAGA_RUNNER,
      inject: [DataSource, EVENT_STORE, Enrolments, ProjectionRunners],
      // Small batches: each event may issue several commands before the checkpoint moves.
      useFactory: (ds: DataSource, store: EventStore, enrolments: Enrolments, runners: ProjectionRunners) => {
        const runner = new ProjectionRunner(ds, store, [new EnrolmentSaga(enrolments)], { batchSize: 20 });
        runners.register(runner);
        return runner;
      },
    },
    SagaLifecycle,
  ],
  controllers: [ProgramsController],
  exports: [Enrolments, SAGA_RUNNER, ProgramCatalogue],
})
export class ProgramsModule {}
