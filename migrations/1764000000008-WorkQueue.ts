import { MigrationInterface, QueryRunner } from 'typeorm';

/** The operators' work queues: one row per case, open while some staff role must act on it. */
export class WorkQueue1764000000008 implements MigrationInterface {
  name = 'WorkQueue1764000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table work_items (
        case_id uuid not null,
        case_type text not null,
        stage text not null,
        village_code text not null,
        awaiting_roles text[] not null,
        open boolean not null,
        opened_at timestamptz not null,
        stage_since timestamptz not null,
        due_on date,
        assignee text,
        primary key (case_type, case_id)
      );
      create index work_items_queue on work_items (village_code text_pattern_ops, due_on) where open;
      create index work_items_assignee on work_items (assignee) where open;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table work_items');
  }
}
