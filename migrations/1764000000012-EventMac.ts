import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-event MAC (HMAC-SHA256 computed by the app with a key PostgreSQL never sees), so an edited
 * or inserted event fails verification without the key. Null on events written before this
 * migration: verification reports those as unkeyed, not as tampered (docs/adr/0002).
 */
export class EventMac1764000000012 implements MigrationInterface {
  name = 'EventMac1764000000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table es_events add column mac text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table es_events drop column mac');
  }
}
