import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spent captchas need no WAL: each check wrote and flushed one, which made the flush the cost of
 * a status check. Unlogged, a crash forgets them, so a captcha solved in the 10 minutes before a
 * crash could be used once more: harmless next to the rate limits.
 */
export class CaptchaUnlogged1764000000010 implements MigrationInterface {
  name = 'CaptchaUnlogged1764000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table captcha_spent set unlogged');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table captcha_spent set logged');
  }
}
