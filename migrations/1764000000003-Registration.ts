import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, the Dukcapil extract, stored documents, the case directory and the notification outbox. */
export class Registration1764000000003 implements MigrationInterface {
  name = 'Registration1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table users (
        id uuid primary key,
        username text not null,
        display_name text not null,
        password_hash text not null,
        role text not null,
        region_code text not null,
        active boolean not null default true,
        created_at timestamptz not null default now()
      );
      create unique index users_username on users (lower(username));

      create table dukcapil_imports (
        id uuid primary key,
        file_sha256 text not null,
        row_count int not null,
        imported_by uuid,
        imported_at timestamptz not null default now()
      );
      create table dukcapil_residents (
        nik char(16) primary key,
        kk_number char(16) not null,
        full_name text not null,
        birth_date date not null,
        sex char(1) not null check (sex in ('L','P')),
        village_code text not null,
        import_id uuid not null references dukcapil_imports(id)
      );
      create index dukcapil_residents_kk on dukcapil_residents (kk_number);

      create table stored_documents (
        sha256 char(64) primary key,
        media_type text not null,
        size_bytes int not null,
        stored_at timestamptz not null default now()
      );

      create table registration_cases (
        case_id uuid primary key,
        registration_number text unique,
        village_code text not null,
        channel text not null,
        status text not null,
        stage text not null,
        version int not null,
        household_id uuid,
        last_batch_id uuid,
        submitted_at timestamptz,
        updated_at timestamptz not null
      );
      create index registration_cases_region on registration_cases (village_code text_pattern_ops, status);
      create index registration_cases_status on registration_cases (status, updated_at);

      create table notification_outbox (
        id uuid primary key,
        case_id uuid not null,
        template text not null,
        reasons jsonb not null,
        created_at timestamptz not null
      );
      create index notification_outbox_created on notification_outbox (created_at);
      -- Kept apart from the outbox (a rebuildable read model) so a rebuild never sends twice.
      create table notification_deliveries (
        notification_id uuid primary key,
        status text not null check (status in ('SENT','FAILED','NO_CONTACT')),
        attempts int not null,
        next_attempt_at timestamptz,
        last_error text,
        updated_at timestamptz not null default now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table notification_deliveries, notification_outbox, registration_cases, stored_documents,
      dukcapil_residents, dukcapil_imports, users`);
  }
}
