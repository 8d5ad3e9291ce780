import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per registration case: where it is in verval, for lists, batches and tracking by number. */
@Entity('registration_cases')
export class RegistrationCaseRow {
  @PrimaryColumn('uuid', { name: 'case_id' })
  caseId!: string;

  @Column('text', { name: 'registration_number', nullable: true })
  registrationNumber!: string | null;

  @Column('text', { name: 'village_code' })
  villageCode!: string;

  @Column('text')
  channel!: string;

  @Column('text')
  status!: string;

  /** The public stage (Dalam Proses, Perlu Perbaikan, ...). */
  @Column('text')
  stage!: string;

  @Column('int')
  version!: number;

  @Column('uuid', { name: 'household_id', nullable: true })
  householdId!: string | null;

  @Column('uuid', { name: 'last_batch_id', nullable: true })
  lastBatchId!: string | null;

  @Column('timestamptz', { name: 'submitted_at', nullable: true })
  submittedAt!: Date | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
