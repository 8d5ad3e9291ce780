import { DataSource, EntityManager } from 'typeorm';
import { EventStore } from '../event-store/port';
import { GlobalPosition, START } from '../event-store/position';
import { applyNextBatch, lockCheckpoint } from './checkpoints';
import { Projection } from './projection';
import { createShadowTables, ident, swapInShadowTables } from './shadow-tables';

export interface RebuildProgress {
  readonly phase: 'catching-up' | 'swapping' | 'done';
  readonly applied: number;
  /** Events to go through in all (an estimate taken at the start). */
  readonly total: number;
  readonly position: GlobalPosition;
}

/**
 * Rebuild without downtime: replay every event into shadow tables (the live read model keeps
 * serving and updating meanwhile), then in one transaction that holds the live checkpoint —
 * so the live runner waits — apply the last events, swap the tables in and hand over the
 * checkpoint. Readers see the old tables until the commit and the new ones after it.
 */
export async function rebuildProjection(
  dataSource: DataSource,
  store: EventStore,
  projection: Projection,
  batchSize: number,
  onProgress: (p: RebuildProgress) => void = () => undefined,
): Promise<void> {
  const schema = `rebuild_${projection.name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  const slot = `${projection.name}@rebuild`;
  const total = await store.countAfter(START, { filter: projection.filter });
  let applied = 0;
  await dataSource.transaction(async (q) => {
    await createShadowTables(q, schema, projection.tables);
    await q.query('delete from projection_checkpoints where name = $1', [slot]);
  });

  const batch = async (q: EntityManager, phase: RebuildProgress['phase']): Promise<boolean> => {
    await q.query(`set local search_path to ${ident(schema)}, public`);
    const outcome = await applyNextBatch(q, store, projection, slot, batchSize);
    applied += outcome.applied;
    onProgress({ phase, applied, total, position: outcome.position });
    return outcome.isEnd;
  };
  while (!(await dataSource.transaction((q) => batch(q, 'catching-up'))));

  await dataSource.transaction(async (q) => {
    await lockCheckpoint(q, projection.name); // the live runner waits here until the swap commits
    while (!(await batch(q, 'swapping')));
    await q.query('set local search_path to public');
    await swapInShadowTables(q, schema, projection.tables);
    const [done] = await q.query('select * from projection_checkpoints where name = $1', [slot]);
    await q.query('delete from projection_checkpoints where name = $1', [slot]);
    await q.query(
      `update projection_checkpoints set commit_position = $2, prepare_position = $3, events_applied = $4,
         last_event_recorded_at = $5, updated_at = now() where name = $1`,
      [projection.name, done.commit_position, done.prepare_position, done.events_applied, done.last_event_recorded_at],
    );
    onProgress({
      phase: 'done',
      applied,
      total,
      position: { commit: BigInt(done.commit_position), prepare: BigInt(done.prepare_position) },
    });
  });
}
