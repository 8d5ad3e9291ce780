import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commit-ordered positions (docs/adr/0001-event-visibility.md). Appends now take one advisory lock
 * before their positions are drawn and keep it to commit, so a reader reads plain
 * `global_position` order: no transaction-id rule (which any open transaction on the server froze)
 * and no rebase after a restore.
 *
 * An existing store is renumbered in its old read order (tx_order, global_position), so that
 * order and the new one are the same, and each checkpoint is moved to the new number of the last
 * event it had passed: no projection applies an event twice or skips one on upgrade.
 */
export class EventVisibility1764000000011 implements MigrationInterface {
  name = 'EventVisibility1764000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      lock table es_events, projection_checkpoints in exclusive mode;

      create temporary table es_renumber on commit drop as
        select stream_id, stream_version, tx_order, global_position,
               row_number() over (order by tx_order, global_position) as n
        from es_events;
      create index on es_renumber (tx_order, global_position);

      -- A checkpoint (commit, prepare) had passed exactly the events at or below it in the old order.
      update projection_checkpoints c set
        commit_position = moved.n, prepare_position = moved.n
      from (select c2.name,
                   coalesce((select r.n from es_renumber r
                             where (r.tx_order, r.global_position) <= (c2.commit_position, c2.prepare_position)
                             order by r.tx_order desc, r.global_position desc limit 1), 0) as n
            from projection_checkpoints c2) moved
      where moved.name = c.name;

      drop index es_events_global_order;
      update es_events e set global_position = r.n
      from es_renumber r
      where r.stream_id = e.stream_id and r.stream_version = e.stream_version and e.global_position <> r.n;
      alter table es_events drop column tx_order;
      -- New positions come after every stored one (rows written with explicit positions included).
      select setval(pg_get_serial_sequence('es_events', 'global_position'), m.top)
      from (select max(global_position) as top from es_events) m
      where m.top is not null
        and m.top > coalesce(pg_sequence_last_value(pg_get_serial_sequence('es_events', 'global_position')), 0);
      create unique index es_events_global_position on es_events (global_position);
      drop table es_settings;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to the transaction-id rule: every stored event counts as one old transaction each.
    await q.query(`
      create table es_settings (
        id int primary key default 1 check (id = 1),
        xid_offset bigint not null default 0
      );
      insert into es_settings default values;
      drop index es_events_global_position;
      alter table es_events add column tx_order bigint;
      update es_events set tx_order = global_position;
      alter table es_events alter column tx_order set not null;
      create index es_events_global_order on es_events (tx_order, global_position);
      update projection_checkpoints set commit_position = prepare_position;
    `);
  }
}
