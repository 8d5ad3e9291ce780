import { MigrationInterface, QueryRunner } from 'typeorm';

/** A delivery can be SENDING: claimed with a lease, sent outside any transaction. */
export class NotificationSending1764000000005 implements MigrationInterface {
  name = 'NotificationSending1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table notification_deliveries drop constraint notification_deliveries_status_check;
      alter table notification_deliveries add constraint notification_deliveries_status_check
        check (status in ('SENDING','SENT','FAILED','NO_CONTACT'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table notification_deliveries drop constraint notification_deliveries_status_check;
      alter table notification_deliveries add constraint notification_deliveries_status_check check (status in ('SENT','FAILED','NO_CONTACT'));
    `);
  }
}
