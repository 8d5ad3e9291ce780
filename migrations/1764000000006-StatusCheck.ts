import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cek Bansos: one row per person (a household member, or a member of a registration whose data is
 * incomplete), looked up by village and normalised name through one index; programs are kept on
 * the row so a check never joins. Spent captcha challenges, so each is used once.
 */
export class StatusCheck1764000000006 implements MigrationInterface {
  name = 'StatusCheck1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table status_check (
        person_key text primary key,
        subject_id uuid not null,
        source text not null check (source in ('household', 'registration')),
        member_index int not null,
        village_code text not null,
        name_key text not null,
        masked_name text not null,
        active boolean not null,
        deceased boolean not null default false,
        incomplete boolean not null default false,
        programs jsonb not null default '[]',
        waitlisted jsonb not null default '[]',
        updated_at timestamptz not null
      );
      create index status_check_lookup on status_check (village_code, name_key);
      create index status_check_subject on status_check (subject_id);
      create table captcha_spent (
        signature text primary key,
        expires_at timestamptz not null
      );
      create index captcha_spent_expiry on captcha_spent (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table status_check; drop table captcha_spent');
  }
}
