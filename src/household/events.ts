import { Member } from '../registration/application';

export const DEACTIVATION_REASONS = ['MENINGGAL', 'GRADUASI', 'SUDAH_MAMPU', 'GANDA'] as const;
export type DeactivationReason = (typeof DEACTIVATION_REASONS)[number];

export interface HouseholdEstablishedData {
  readonly householdId: string;
  readonly registrationCaseId: string;
  readonly registrationNumber: string;
  readonly kkNumber: string;
  readonly villageCode: string;
  readonly address: string;
  readonly members: readonly Member[];
  readonly desil: number;
  readonly classification: string;
  readonly pmtVersion: string;
  readonly status: 'AKTIF';
  readonly establishedOn: string;
}

/**
 * The registry entry (stream `household-<householdId>`). Each change names the status-change case
 * that decided it (`changeCaseId`); who and why are in the metadata.
 */
export type HouseholdEvent =
  | { type: 'HouseholdEstablished'; data: HouseholdEstablishedData }
  | { type: 'MemberDied'; data: { memberIndex: number; diedOn: string; changeCaseId: string } }
  | { type: 'MemberBorn'; data: { member: Member; changeCaseId: string } }
  | { type: 'HouseholdMoved'; data: { fromVillageCode: string; toVillageCode: string; address: string; changeCaseId: string } }
  | { type: 'HouseholdDeactivated'; data: { reason: DeactivationReason; changeCaseId: string } }
  | { type: 'HouseholdReverified'; data: { changeCaseId: string } }
  | { type: 'MemberCorrected'; data: { memberIndex: number; corrections: Partial<Member>; changeCaseId: string } }
  /** Compensations written when the batch behind a change is reverted: the change stays in the log. */
  | { type: 'MemberDeathRetracted'; data: { memberIndex: number; changeCaseId: string; revertedBatchId: string } }
  | { type: 'HouseholdReinstated'; data: { changeCaseId: string; revertedBatchId: string } }
  | {
      type: 'HouseholdReranked';
      data: { desil: number; classification: string; score: number; pmtVersion: string; changeCaseId: string };
    };

export const HOUSEHOLD_PERSONAL_FIELDS: Partial<Record<HouseholdEvent['type'], string[]>> = {
  HouseholdEstablished: ['kkNumber', 'address', 'members'],
  MemberBorn: ['member'],
  MemberCorrected: ['corrections'],
  HouseholdMoved: ['address'],
};
