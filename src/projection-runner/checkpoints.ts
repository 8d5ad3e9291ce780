import { EntityManager } from 'typeorm';
import { RecordedEvent } from '../event-store/envelope';
import { EventStore } from '../event-store/port';
import { GlobalPosition } from '../event-store/position';
import { Projection } from './projection';

export interface Checkpoint {
  readonly name: string;
  readonly position: GlobalPosition;
  readonly eventsApplied: number;
  readonly lastEventRecordedAt?: Date;
  readonly updatedAt?: Date;
}

interface CheckpointRow {
  name: string;
  commit_position: string;
  prepare_position: string;
  events_applied: string;
  last_event_recorded_at: Date | null;
  updated_at: Date;
}

export function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    name: row.name,
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
    eventsApplied: Number(row.events_applied),
    lastEventRecordedAt: row.last_event_recorded_at ?? undefined,
    updatedAt: row.updated_at,
  };
}

/** Reads and locks a checkpoint row (creating it at START), inside the caller's transaction. */
export async function lockCheckpoint(q: EntityManager, name: string): Promise<Checkpoint> {
  const select = `select * from projection_checkpoints where name = $1 for update`;
  let rows: CheckpointRow[] = await q.query(select, [name]);
  if (!rows.length) {
    await q.query('insert into projection_checkpoints (name) values ($1) on conflict do nothing', [name]);
    rows = await q.query(select, [name]);
  }
  return toCheckpoint(rows[0]);
}

export async function readCheckpoints(
  q: { query(sql: string, params?: unknown[]): Promise<any> },
  names?: readonly string[],
): Promise<Checkpoint[]> {
  const rows: CheckpointRow[] = await q.query(
    'select * from projection_checkpoints where ($1::text[] is null or name = any($1)) order by name',
    [names ?? null],
  );
  return rows.map(toCheckpoint);
}

export interface BatchOutcome {
  readonly applied: number;
  readonly position: GlobalPosition;
  readonly isEnd: boolean;
}

/**
 * One batch inside the caller's open transaction: lock the checkpoint, read the events after it,
 * apply them, move the checkpoint. Committing is the caller's, so the read-model changes and the
 * checkpoint are written together or not at all.
 */
export async function applyNextBatch(
  q: EntityManager,
  store: EventStore,
  projection: Projection,
  checkpointName: string,
  batchSize: number,
): Promise<BatchOutcome> {
  const checkpoint = await lockCheckpoint(q, checkpointName);
  const batch = await store.readAll({ from: checkpoint.position, filter: projection.filter, limit: batchSize });
  if (batch.events.length) await projection.apply(batch.events, q);
  await moveCheckpoint(q, checkpointName, checkpoint.position, batch);
  return { applied: batch.events.length, position: batch.position, isEnd: batch.isEnd };
}

/**
 * One batch of a saga, whose handlers write to the event store. They run outside any database
 * transaction: a transaction held open while they work would hide every newer event from every
 * reader (the gap-safe rule waits for it). Their commands are idempotent, so a crash before the
 * checkpoint moves only repeats them harmlessly. The move checks nobody else moved it meanwhile.
 */
export async function applyNextSagaBatch(
  dataSource: { transaction<T>(work: (q: EntityManager) => Promise<T>): Promise<T>; manager: EntityManager },
  store: EventStore,
  projection: Projection,
  checkpointName: string,
  batchSize: number,
): Promise<BatchOutcome> {
  const [current] = await readCheckpoints(dataSource.manager, [checkpointName]);
  const from = current?.position ?? { commit: 0n, prepare: 0n };
  const batch = await store.readAll({ from, filter: projection.filter, limit: batchSize });
  if (batch.events.length) await projection.apply(batch.events, dataSource.manager);
  await dataSource.transaction(async (q) => {
    const locked = await lockCheckpoint(q, checkpointName);
    if (locked.position.commit !== from.commit || locked.position.prepare !== from.prepare) {
      throw new Error(`checkpoint ${checkpointName} moved while its batch ran`);
    }
    await moveCheckpoint(q, checkpointName, from, batch);
  });
  return { applied: batch.events.length, position: batch.position, isEnd: batch.isEnd };
}

async function moveCheckpoint(
  q: EntityManager,
  checkpointName: string,
  from: GlobalPosition,
  batch: { events: readonly RecordedEvent[]; position: GlobalPosition },
): Promise<void> {
  if (batch.position === from) return;
  await q.query(
    `update projection_checkpoints set commit_position = $2, prepare_position = $3,
       events_applied = events_applied + $4, last_event_recorded_at = coalesce($5, last_event_recorded_at),
       updated_at = now() where name = $1`,
    [
      checkpointName,
      batch.position.commit.toString(),
      batch.position.prepare.toString(),
      batch.events.length,
      lastRecordedAt(batch.events),
    ],
  );
}

function lastRecordedAt(events: readonly RecordedEvent[]): string | null {
  return events.length ? events[events.length - 1].metadata.recordedAt : null;
}
