import { MigrationInterface, QueryRunner } from 'typeorm';

export class StreamCatalogue1764000000001 implements MigrationInterface {
  name = 'StreamCatalogue1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table stream_catalogue (
        stream_id text primary key,
        category text not null,
        version int not null,
        last_event_type text not null,
        first_recorded_at timestamptz not null,
        last_recorded_at timestamptz not null
      );
      create index stream_catalogue_category_last on stream_catalogue (category, last_recorded_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table stream_catalogue');
  }
}
