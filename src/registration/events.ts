import { PmtResult, EligibilityOutcome } from '../eligibility/pmt';
import { IndicatorValues } from '../eligibility/indicators';
import { Application, Channel } from './application';
import { CorrectionReason } from './automatic-checks';
import { AttachedDocument, MissingDocument } from './documents';

/**
 * The facts of a registration case (stream `registration-<caseId>`). Who, when, why and the
 * evidence are in each event's metadata; rule versions too.
 */
export type RegistrationEvent =
  | {
      type: 'RegistrationDraftSaved';
      data: { caseId: string; channel: Channel; application: Application; applicantTokenHash?: string };
    }
  | { type: 'RegistrationDocumentAttached'; data: { document: AttachedDocument } }
  | { type: 'RegistrationSubmitted'; data: { registrationNumber: string } }
  | { type: 'AutomaticChecksPassed'; data: { checkedOn: string } }
  | { type: 'AutomaticChecksFailed'; data: { checkedOn: string; reasons: CorrectionReason[] } }
  | { type: 'DocumentsFoundComplete'; data: { documentCount: number } }
  | { type: 'DocumentsFoundIncomplete'; data: { missing: MissingDocument[] } }
  | { type: 'DocumentsResubmitted'; data: { documentCount: number } }
  | { type: 'RegistrationValidated'; data: { fieldVisitRequired: boolean } }
  | { type: 'RegistrationValidationFailed'; data: { fields: string[] } }
  | { type: 'FieldVerificationRecorded'; data: { visitedOn: string; indicators: IndicatorValues; notes?: string } }
  | { type: 'EligibilityAssessed'; data: { result: PmtResult } }
  | {
      type: 'EligibilityOverrideProposed';
      data: { proposedOutcome: 'layak' | 'tidak_layak'; computedOutcome: EligibilityOutcome; proposedBy: string };
    }
  | {
      type: 'EligibilityOverrideDecided';
      data: { approved: boolean; outcome: 'layak' | 'tidak_layak'; proposedBy: string; decidedBy: string };
    }
  | { type: 'ApprovalDecided'; data: { level: ApprovalLevel; approved: boolean; batchId?: string } }
  | { type: 'RegistrationEstablished'; data: RegistrationEstablishedData }
  | { type: 'RegistrationWithdrawn'; data: Record<string, never> }
  | { type: 'RegistrationReopenedByAppeal'; data: { appealId: string } }
  | { type: 'BatchDecisionReverted'; data: { level: Exclude<ApprovalLevel, 'penetapan'>; revertedBatchId: string } };

export type ApprovalLevel = 'musdes' | 'kabupaten' | 'provinsi' | 'penetapan';

export interface RegistrationEstablishedData {
  readonly householdId: string;
  readonly registrationNumber: string;
  readonly batchId?: string;
  readonly desil: number;
  readonly classification: string;
  readonly pmtVersion: string;
  /** Present when the eligibility result was overridden: the two people who made that decision. */
  readonly override?: { readonly proposedBy: string; readonly approvedBy: string };
}

export type RegistrationEventType = RegistrationEvent['type'];

/** Personal fields per event type, encrypted per case so they can be crypto-shredded. */
export const REGISTRATION_PERSONAL_FIELDS: Partial<Record<RegistrationEventType, string[]>> = {
  RegistrationDraftSaved: [
    'application.kkNumber',
    'application.address',
    'application.contact',
    'application.members',
    'application.proposer',
  ],
};
