import { Global, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Settings, SETTINGS } from '../../config/settings.module';
import { CLOCK, Clock } from '../../shared/clock';
import { EVENT_STORE, EventStore } from '../port';
import { CheckpointIndex } from './checkpoint-index';
import { CheckpointWriter } from './checkpoint-writer';
import { checkpointFile, integrityKeys } from './integrity-settings';
import { IntegrityKeys } from './keys';
import { StreamIntegrityChecks } from './stream-integrity';

export const INTEGRITY_KEYS = Symbol('IntegrityKeys');

/** Starts the checkpoint writer in the app (not in CLI commands); it takes the lease itself. */
@Injectable()
class CheckpointWriterLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly writer: CheckpointWriter,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.runProjections) this.writer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.writer.stop();
  }
}

/** Tamper evidence: the keys, the signed checkpoints and the per-stream check of reads. */
@Global()
@Module({
  providers: [
    { provide: INTEGRITY_KEYS, inject: [SETTINGS], useFactory: (s: Settings) => integrityKeys(s) },
    {
      provide: CheckpointIndex,
      inject: [SETTINGS, INTEGRITY_KEYS],
      useFactory: (s: Settings, keys: IntegrityKeys) => new CheckpointIndex(checkpointFile(s), keys.publicKey),
    },
    {
      provide: CheckpointWriter,
      inject: [EVENT_STORE, INTEGRITY_KEYS, CLOCK, SETTINGS],
      useFactory: (store: EventStore, keys: IntegrityKeys, clock: Clock, s: Settings) =>
        new CheckpointWriter(store, keys, clock, {
          file: checkpointFile(s),
          intervalMs: s.config.integrity.checkpointIntervalMs,
          databaseUrl: s.databaseUrl,
        }),
    },
    CheckpointWriterLifecycle,
    StreamIntegrityChecks,
  ],
  exports: [INTEGRITY_KEYS, CheckpointIndex, CheckpointWriter, StreamIntegrityChecks],
})
export class IntegrityModule {}
