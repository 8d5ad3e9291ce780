import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit: which streams (or single events of shared streams) concern a household, so its trail is
 * read from the log without scanning it; and the access log of staff reads of personal data.
 */
export class Audit1764000000007 implements MigrationInterface {
  name = 'Audit1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table audit_links (
        household_id uuid not null,
        stream_id text not null,
        -- null: the whole stream (a case about the household); a version: that one event of a shared list
        stream_version int,
        unique nulls not distinct (household_id, stream_id, stream_version)
      );
      create index audit_links_household on audit_links (household_id);
      create table access_log (
        id bigserial primary key,
        at timestamptz not null default now(),
        user_id text not null,
        role text not null,
        region text not null,
        subject_type text not null,
        subject_id text not null,
        what text not null,
        purpose text
      );
      create index access_log_subject on access_log (subject_id, at desc);
      create index access_log_user on access_log (user_id, at desc);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table audit_links; drop table access_log');
  }
}
