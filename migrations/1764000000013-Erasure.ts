import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure: the status check's `name_key` becomes a keyed hash whose key lives outside the database,
 * so a migration cannot compute it: the table is emptied and its projection starts again from the
 * first event (it rebuilds on the next start). See docs/adr/0003-erasure.md.
 */
export class Erasure1764000000013 implements MigrationInterface {
  name = 'Erasure1764000000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      delete from status_check;
      delete from projection_checkpoints where name = 'status-check';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // The plain-text keys cannot be brought back from their hashes: the projection rebuilds them.
    await q.query(`delete from status_check; delete from projection_checkpoints where name = 'status-check';`);
  }
}
