import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Settings, SETTINGS } from '../config/settings.module';
import { Metrics } from '../metrics/metrics';
import { createEventStore } from './create-event-store';
import { KeyStore, PostgresKeyStore } from './crypto-shredding';
import { EventTypeRegistry } from './event-types';
import { integrityKeys } from './integrity/integrity-settings';
import { QuarantineLog } from './integrity/quarantine';
import { EVENT_STORE, EventStore } from './port';

export const EVENT_STORE_POOL = Symbol('EventStorePool');
export const KEY_STORE = Symbol('KeyStore');

@Injectable()
class EventStoreShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_STORE_POOL) private readonly pool: Pool,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }
}

/**
 * The event store for the whole app. Feature modules register their event types (schema
 * versions, upcasters, personal fields) in the EventTypeRegistry when they initialise.
 */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE_POOL,
      inject: [SETTINGS],
      useFactory: (s: Settings) => new Pool({ connectionString: s.databaseUrl, max: 20 }),
    },
    { provide: EventTypeRegistry, useFactory: () => new EventTypeRegistry() },
    {
      provide: QuarantineLog,
      inject: [Metrics],
      useFactory: (metrics: Metrics) => metrics.watchQuarantine(new QuarantineLog()),
    },
    {
      provide: KEY_STORE,
      inject: [EVENT_STORE_POOL, SETTINGS],
      useFactory: (pool: Pool, s: Settings) => new PostgresKeyStore(pool, s.keyEncryptionKey),
    },
    {
      provide: EVENT_STORE,
      // DataSource first: its start-up runs the migrations that create the store's tables.
      inject: [EVENT_STORE_POOL, KEY_STORE, EventTypeRegistry, SETTINGS, Metrics, QuarantineLog, DataSource],
      useFactory: async (
        pool: Pool,
        keys: KeyStore,
        registry: EventTypeRegistry,
        s: Settings,
        metrics: Metrics,
        quarantineLog: QuarantineLog,
      ) =>
        metrics.meter(
          await createEventStore({
            pool,
            keys,
            registry,
            eventStoreConnectionString: s.config.eventStoreConnectionString,
            pollIntervalMs: s.config.eventPollIntervalMs,
            macKey: s.withoutMacKey ? undefined : integrityKeys(s).macKey,
            quarantineLog,
          }),
        ),
    },
    EventStoreShutdown,
  ],
  exports: [EVENT_STORE, EVENT_STORE_POOL, KEY_STORE, EventTypeRegistry, QuarantineLog],
})
export class EventStoreModule {}
