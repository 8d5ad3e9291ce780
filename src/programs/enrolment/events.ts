/**
 * The recipient list of one program in one regency for one period (stream
 * `enrolment-<PROGRAM>_<regency>_<period>`). Every entry, exit and waitlisting names the rule
 * version, the quota, the rank and its cause: the event that triggered it.
 */
export type EnrolmentEvent =
  | {
      type: 'QuotaSet';
      data: { program: string; regencyCode: string; period: string; quota: number; previous?: number; revertedBatchId?: string };
    }
  | { type: 'HouseholdEnrolled'; data: EntryData & { quota: number; enrolledCount: number; promotedFromWaitlist: boolean } }
  | { type: 'HouseholdWaitlisted'; data: EntryData & { quota: number; rank: number } }
  | { type: 'HouseholdLeftWaitlist'; data: { householdId: string; cause: string; reasons: readonly string[] } }
  | { type: 'HouseholdExited'; data: { householdId: string; cause: string; ruleVersion: string; reasons: readonly string[] } }
  | { type: 'RecipientListApproved'; data: { period: string; enrolledCount: number } };

export interface EntryData {
  readonly householdId: string;
  readonly desil: number;
  readonly establishedOn: string;
  readonly ruleVersion: string;
  /** The id of the event that made the saga (or a person) evaluate the household. */
  readonly cause: string;
}

export const enrolmentStreamId = (program: string, regencyCode: string, period: string): string =>
  `enrolment-${program}_${regencyCode}_${period}`;
