import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per household in the registry: its region, whether active, when last verified. */
@Entity('households')
export class HouseholdRow {
  @PrimaryColumn('uuid', { name: 'household_id' })
  householdId!: string;

  @Column('text', { name: 'village_code' })
  villageCode!: string;

  @Column('boolean')
  active!: boolean;

  @Column('int')
  desil!: number;

  @Column('timestamptz', { name: 'established_at' })
  establishedAt!: Date;

  @Column('timestamptz', { name: 'last_verified_at' })
  lastVerifiedAt!: Date;

  /** The open re-verification case, if any (so the schedule opens one at a time). */
  @Column('uuid', { name: 'reverification_case_id', nullable: true })
  reverificationCaseId!: string | null;
}
