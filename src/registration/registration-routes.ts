import { VervalAction } from './verval-state-machine';

/**
 * The HTTP route of each verval action under /api/v1/registrations (`:id` is the case id).
 * Served with the state machine, so the UI and the tests need no second list.
 */
/** Actions taken only as part of another case's decision have no route of their own. */
export type RoutedAction = Exclude<VervalAction, 'reopenAfterAppeal' | 'revertBatchDecision'>;

export const ACTION_ROUTES: Record<RoutedAction, { readonly method: 'POST' | 'PUT'; readonly path: string }> = {
  saveDraft: { method: 'PUT', path: ':id/draft' },
  attachDocument: { method: 'POST', path: ':id/documents' },
  submit: { method: 'POST', path: ':id/submit' },
  checkDocuments: { method: 'POST', path: ':id/document-check' },
  resubmitDocuments: { method: 'POST', path: ':id/documents/resubmission' },
  validate: { method: 'POST', path: ':id/validation' },
  recordFieldVerification: { method: 'POST', path: ':id/field-verification' },
  assessEligibility: { method: 'POST', path: ':id/eligibility-assessment' },
  proposeOverride: { method: 'POST', path: ':id/eligibility-override' },
  decideOverride: { method: 'POST', path: ':id/eligibility-override/decision' },
  decideMusdes: { method: 'POST', path: ':id/musdes-decision' },
  decideRegency: { method: 'POST', path: ':id/regency-decision' },
  decideProvince: { method: 'POST', path: ':id/province-decision' },
  establish: { method: 'POST', path: ':id/establishment' },
  withdraw: { method: 'POST', path: ':id/withdrawal' },
};
