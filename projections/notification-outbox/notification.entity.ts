import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A message the applicant must receive, derived from an outcome event (its id is the event's id,
 * so a rebuild derives the same rows). Whether it was sent is kept in notification_deliveries.
 */
@Entity('notification_outbox')
export class OutboxNotification {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'case_id' })
  caseId!: string;

  @Column('text')
  template!: string;

  /** Reasons as shown to the applicant (bilingual, without personal data). */
  @Column('jsonb')
  reasons!: object[];

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
