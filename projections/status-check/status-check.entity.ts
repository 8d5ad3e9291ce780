import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface ProgramHolding {
  readonly program: string;
  readonly period: string;
}

/** One person as the public status check sees them: no NIK, no address, the name only masked. */
@Entity('status_check')
export class StatusCheckRow {
  /** `<subjectId>:<memberIndex>`. */
  @PrimaryColumn('text', { name: 'person_key' })
  personKey!: string;

  /** The household, or the registration case while the data is incomplete. */
  @Column('uuid', { name: 'subject_id' })
  subjectId!: string;

  @Column('text')
  source!: 'household' | 'registration';

  @Column('int', { name: 'member_index' })
  memberIndex!: number;

  @Column('text', { name: 'village_code' })
  villageCode!: string;

  /** The name as on the KTP, normalised (case, spaces and punctuation ignored; spelling kept). */
  @Column('text', { name: 'name_key' })
  nameKey!: string;

  @Column('text', { name: 'masked_name' })
  maskedName!: string;

  @Column('boolean')
  active!: boolean;

  @Column('boolean')
  deceased!: boolean;

  @Column('boolean')
  incomplete!: boolean;

  @Column('jsonb')
  programs!: ProgramHolding[];

  @Column('jsonb')
  waitlisted!: Array<ProgramHolding & { rank: number }>;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
