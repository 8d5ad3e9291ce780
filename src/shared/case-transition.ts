import { authorize } from '../auth/policy';
import { Principal, Role } from '../auth/roles';
import { EvidenceRef } from '../event-store/envelope';
import { reject, Rejection } from './decider';

/** What every command on a small case carries: who, when (no clock inside deciders), why, evidence. */
export interface CaseCommandContext {
  readonly actor: Principal;
  readonly at: string;
  readonly reason?: string;
  readonly evidence?: readonly EvidenceRef[];
}

/** One row of a small case's state machine (status changes, appeals, objections). */
export interface CaseTransitionRow {
  readonly action: string;
  readonly from: string;
  readonly roles: readonly Role[];
  readonly requiresReason: boolean;
  readonly requiresEvidence?: boolean;
}

/**
 * The checks every small case machine makes, in the order verval makes them: role and region
 * first (a stranger learns nothing about the case), then the state, then reason and evidence.
 */
export function checkCaseTransition(
  row: CaseTransitionRow,
  command: CaseCommandContext,
  status: string,
  region: string,
): Rejection | undefined {
  const denied = authorize(command.actor, row.roles, region);
  if (denied) return denied;
  if (row.from !== status) {
    return reject('conflict', 'TRANSITION_NOT_ALLOWED', {
      id: `Tindakan ${row.action} tidak dapat dilakukan pada status ${status}`,
      en: `Action ${row.action} is not allowed in status ${status}`,
    });
  }
  if (row.requiresReason && !command.reason?.trim())
    return reject('rule', 'REASON_REQUIRED', { id: 'Alasan wajib diisi', en: 'A reason is required' });
  if (row.requiresEvidence && !command.evidence?.length)
    return reject('rule', 'EVIDENCE_REQUIRED', { id: 'Bukti wajib dilampirkan', en: 'Evidence is required' });
  return undefined;
}
