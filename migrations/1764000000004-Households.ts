import { MigrationInterface, QueryRunner } from 'typeorm';

/** The household directory: where each household is and when it was last verified. */
export class Households1764000000004 implements MigrationInterface {
  name = 'Households1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table households (
        household_id uuid primary key,
        village_code text not null,
        active boolean not null,
        desil int not null,
        established_at timestamptz not null,
        last_verified_at timestamptz not null,
        reverification_case_id uuid
      );
      create index households_stale on households (last_verified_at) where active and reverification_case_id is null;
      create index households_region on households (village_code text_pattern_ops);
      create index households_reverification on households (reverification_case_id) where reverification_case_id is not null;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table households');
  }
}
