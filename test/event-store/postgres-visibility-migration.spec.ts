import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { dataSourceOptions } from '../../src/database/data-source';
import { createTestDatabase } from '../support/database';

/**
 * Upgrading a store written under the transaction-id rule: its read order was (tx_order,
 * global_position), which differs from global_position alone. The migration renumbers the events
 * in that order and moves each checkpoint onto the last event it had passed.
 */
describe('migration to commit-ordered positions (1764000000011)', () => {
  it('keeps the old read order and moves every checkpoint so that nothing is applied twice or skipped', async () => {
    const db = await createTestDatabase();
    const before = migrations.filter((m) => !m.name.endsWith('1764000000011'));
    const old = await new DataSource({ ...dataSourceOptions(db.url, 2), migrations: before }).initialize();
    try {
      await old.runMigrations({ transaction: 'each' });
      // Five transactions (tx_order) whose sequence numbers interleave: the old order is by transaction.
      const rows: [string, number, number, number][] = [
        // stream, version, tx_order, global_position
        ['a-1', 1, 100, 1],
        ['b-1', 1, 101, 2],
        ['a-1', 2, 100, 3], // same transaction as a-1/1, drawn after b-1's
        ['c-1', 1, 103, 4],
        ['b-1', 2, 102, 6],
        ['c-1', 2, 104, 5],
      ];
      for (const [stream, version, tx, gp] of rows) {
        await old.query(
          `insert into es_events (stream_id, stream_version, global_position, tx_order, category, event_id, type,
             schema_version, data, metadata, recorded_at, hash)
           values ($1, $2, $3, $4, split_part($1, '-', 1), gen_random_uuid(), 'E', 1, '{}', '{}', now(), 'h')`,
          [stream, version, gp, tx],
        );
      }
      // Old order: (100,1) a1 (100,3) a2 (101,2) b1 (102,6) b2 (103,4) c1 (104,5) c2.
      await old.query(`insert into projection_checkpoints (name, commit_position, prepare_position) values
        ('none', 0, 0), ('after-a2', 100, 3), ('after-b2', 102, 6), ('all', 104, 5)`);
    } finally {
      await old.destroy();
    }

    const upgraded = await new DataSource(dataSourceOptions(db.url, 2)).initialize();
    try {
      await upgraded.runMigrations({ transaction: 'each' });
      const order = await upgraded.query(`select stream_id || '/' || stream_version as e, global_position::int as p
                                          from es_events order by global_position`);
      expect(order).toEqual([
        { e: 'a-1/1', p: 1 },
        { e: 'a-1/2', p: 2 },
        { e: 'b-1/1', p: 3 },
        { e: 'b-1/2', p: 4 },
        { e: 'c-1/1', p: 5 },
        { e: 'c-1/2', p: 6 },
      ]);
      const checkpoints = await upgraded.query(
        `select name, commit_position::int as c, prepare_position::int as p from projection_checkpoints order by name`,
      );
      expect(checkpoints).toEqual([
        { name: 'after-a2', c: 2, p: 2 },
        { name: 'after-b2', c: 4, p: 4 },
        { name: 'all', c: 6, p: 6 },
        { name: 'none', c: 0, p: 0 },
      ]);
      // New appends draw positions above every renumbered one.
      const [{ next }] = await upgraded.query(
        `select nextval(pg_get_serial_sequence('es_events', 'global_position'))::int as next`,
      );
      expect(next).toBeGreaterThan(6);
    } finally {
      await upgraded.destroy();
      await db.drop();
    }
  });
});
