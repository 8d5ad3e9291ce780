import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in state that every app instance shares and a restart keeps: one row per signed-in session
 * (checked on every request, so sign-out, deactivation and a password change take effect at once,
 * and its last activity gives the idle timeout), and the failed-attempt counters per account and
 * per client address that throttle password guessing.
 */
export class SignIn1764000000016 implements MigrationInterface {
  name = 'SignIn1764000000016';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table auth_sessions (
        id uuid primary key,
        user_id uuid not null references users (id),
        created_at timestamptz not null,
        last_seen_at timestamptz not null,
        revoked_at timestamptz
      );
      create index auth_sessions_user on auth_sessions (user_id);

      -- key: 'akun:' or 'alamat:' + SHA-256 of the username or address (neither is kept in clear).
      create table sign_in_throttle (
        key text primary key,
        attempts integer not null,
        last_attempt_at timestamptz not null,
        locked_until timestamptz not null
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table sign_in_throttle; drop table auth_sessions');
  }
}
