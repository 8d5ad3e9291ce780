import { EvidenceRef } from '../event-store/envelope';
import { Principal } from '../auth/roles';
import { IndicatorValues } from '../eligibility/indicators';
import { PmtModel } from '../eligibility/pmt';
import { Application, Channel } from './application';
import { AutomaticCheckFacts } from './automatic-checks';
import { AttachedDocument } from './documents';

/** What every command carries: who acts, when (the decider has no clock), why, and the evidence. */
export interface CommandContext {
  readonly actor: Principal;
  /** ISO 8601 time of the command. */
  readonly at: string;
  readonly reason?: string;
  readonly evidence?: readonly EvidenceRef[];
  /** SHA-256 of the resume token an applicant presented (online self-registration only). */
  readonly applicantTokenHash?: string;
  /** Set when the decision is part of a batch (a village's or regency's list). */
  readonly batchId?: string;
}

type C<Type extends string, Data = Record<never, never>> = { readonly type: Type } & Data & CommandContext;

export type RegistrationCommand =
  | C<'saveDraft', { caseId: string; channel: Channel; application: Application; newApplicantTokenHash?: string }>
  | C<'attachDocument', { document: AttachedDocument }>
  | C<'submit', { registrationNumber: string; facts: AutomaticCheckFacts }>
  | C<'checkDocuments', { complete: boolean }>
  | C<'resubmitDocuments'>
  | C<'validate', { valid: boolean; fieldVisitRequired: boolean; fields?: string[] }>
  | C<'recordFieldVerification', { visitedOn: string; indicators: IndicatorValues; notes?: string }>
  | C<'assessEligibility', { model: PmtModel }>
  | C<'proposeOverride', { outcome: 'layak' | 'tidak_layak' }>
  | C<'decideOverride', { approve: boolean }>
  | C<'decideMusdes', { approve: boolean }>
  | C<'decideRegency', { approve: boolean }>
  | C<'decideProvince', { approve: boolean }>
  | C<'establish', { approve: boolean; householdId: string }>
  | C<'withdraw'>
  | C<'reopenAfterAppeal', { appealId: string }>
  | C<'revertBatchDecision', { revertedBatchId: string }>;

export type RegistrationCommandType = RegistrationCommand['type'];
