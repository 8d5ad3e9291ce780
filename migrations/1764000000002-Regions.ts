import { MigrationInterface, QueryRunner } from 'typeorm';
import { idnAreaDataVersion, readIdnAreaData } from '../src/reference/idn-area-data';

/** The Kemendagri regions from the `idn-area-data` package, loaded once. */
export class Regions1764000000002 implements MigrationInterface {
  name = 'Regions1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table ref_regions (
        code text primary key,
        level text not null check (level in ('provinsi','kabupaten','kecamatan','desa')),
        parent_code text references ref_regions(code),
        name text not null
      );
      create index ref_regions_parent on ref_regions (parent_code, name);
      create index ref_regions_name on ref_regions (lower(name) text_pattern_ops);
      create table ref_dataset_versions (dataset text primary key, version text not null, loaded_at timestamptz not null default now());
    `);
    const rows = readIdnAreaData();
    await q.query(
      `insert into ref_regions (code, level, parent_code, name)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [rows.map((r) => r.code), rows.map((r) => r.level), rows.map((r) => r.parentCode), rows.map((r) => r.name)],
    );
    await q.query(`insert into ref_dataset_versions (dataset, version) values ('idn-area-data', $1)`, [idnAreaDataVersion()]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table ref_dataset_versions; drop table ref_regions');
  }
}
