import { Pool } from 'pg';
import { EventCodec } from './codec';
import { KeyStore } from './crypto-shredding';
import { EventTypeRegistry } from './event-types';
import { QuarantineLog } from './integrity/quarantine';
import { EventStore } from './port';
import { PostgresEventStore } from './postgres/postgres-event-store';

export interface EventStoreSettings {
  /** PostgreSQL: the events (unless EventStoreDB is chosen) and always the subject keys. */
  readonly pool: Pool;
  /** Per-subject data keys; erasing a subject goes through the same instance. */
  readonly keys: KeyStore;
  readonly registry: EventTypeRegistry;
  /** When set, events live in EventStoreDB / KurrentDB instead of PostgreSQL. */
  readonly eventStoreConnectionString?: string;
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** PostgreSQL: append statements in flight at once; more concurrent appends are batched. */
  readonly maxConcurrentAppends?: number;
  /** The HMAC key of the per-event MACs (held by the app, never by the database). */
  readonly macKey?: Buffer;
  /** Where events that fail their MAC on read are counted (for /health and /metrics). */
  readonly quarantineLog?: QuarantineLog;
}

/** Chooses and starts the adapter the configuration asks for. */
export async function createEventStore(s: EventStoreSettings): Promise<EventStore> {
  const codec = new EventCodec(s.registry, s.keys, s.macKey, s.quarantineLog);
  if (s.eventStoreConnectionString) {
    // Loaded only when chosen: the gRPC client is heavy and unused on the default path.
    const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store');
    return EventStoreDbEventStore.connect(s.eventStoreConnectionString, codec, { batchSize: s.batchSize });
  }
  return new PostgresEventStore(s.pool, codec, { ...s, maxConcurrentStatements: s.maxConcurrentAppends }).start();
}
