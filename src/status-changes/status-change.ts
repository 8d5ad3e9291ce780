import { authorize, PERMISSIONS } from '../auth/policy';
import { Role } from '../auth/roles';
import { HouseholdCommand } from '../household/decider';
import { Member } from '../registration/application';
import { indicatorProblems, IndicatorValues } from '../eligibility/indicators';
import { assess, PmtModel } from '../eligibility/pmt';
import { BilingualText, Decider, reject, Rejection } from '../shared/decider';
import { CaseCommandContext, checkCaseTransition } from '../shared/case-transition';

/** What changed in the household's life (pemutakhiran). */
export type StatusChangeDetails =
  | { kind: 'MENINGGAL'; memberIndex: number; diedOn: string }
  | { kind: 'KELAHIRAN'; member: Member }
  | { kind: 'PINDAH'; toVillageCode: string; address: string }
  | { kind: 'GRADUASI' }
  | { kind: 'SUDAH_MAMPU' }
  | { kind: 'GANDA'; duplicateOfHouseholdId: string }
  | { kind: 'VERIFIKASI_ULANG'; trigger: 'BERKALA' | 'SANGGAH' | 'BANDING' }
  | { kind: 'PERINGKAT_ULANG'; indicators: IndicatorValues }
  | { kind: 'PERBAIKAN_DATA'; memberIndex: number; corrections: MemberCorrections };

/** What a data correction (perbaikan data) may change about a member. */
export type MemberCorrections = Partial<
  Pick<Member, 'fullName' | 'birthDate' | 'sex' | 'relation' | 'maritalStatus' | 'pregnant' | 'severeDisability'>
>;
export type StatusChangeKind = StatusChangeDetails['kind'];

export const STATUS_CHANGE_KINDS: Record<StatusChangeKind, BilingualText> = {
  MENINGGAL: { id: 'Anggota meninggal', en: 'Member died' },
  KELAHIRAN: { id: 'Kelahiran anggota', en: 'Member born' },
  PINDAH: { id: 'Rumah tangga pindah', en: 'Household moved' },
  GRADUASI: { id: 'Graduasi mandiri', en: 'Self-graduation' },
  SUDAH_MAMPU: { id: 'Sudah mampu', en: 'Now well-off' },
  GANDA: { id: 'Data ganda', en: 'Duplicate record' },
  VERIFIKASI_ULANG: { id: 'Verifikasi ulang', en: 'Re-verification' },
  PERINGKAT_ULANG: { id: 'Pemeringkatan ulang (indikator berubah)', en: 'Re-ranking (indicators changed)' },
  PERBAIKAN_DATA: { id: 'Perbaikan data anggota', en: 'Member data correction' },
};

/** The small state machine of a status-change case, as data like the verval one. */
export const STATUS_CHANGE_TRANSITIONS = [
  {
    action: 'request',
    from: 'NONE',
    to: 'DIAJUKAN',
    roles: ['operator_desa', 'pendamping', 'dinsos'] as Role[],
    requiresReason: true,
    requiresEvidence: false,
  },
  // A signal file, the re-verification schedule or an upheld objection opens a review; none decides.
  {
    action: 'openBySystem',
    from: 'NONE',
    to: 'DIAJUKAN',
    roles: ['admin', 'dinsos'] as Role[],
    requiresReason: true,
    requiresEvidence: false,
  },
  {
    action: 'approve',
    from: 'DIAJUKAN',
    to: 'DISETUJUI',
    roles: ['dinsos'] as Role[],
    requiresReason: true,
    requiresEvidence: true,
  },
  // Approving a move hands the household to its new village: the approver must hold both regions,
  // so a move out of a regency is approved by the province (or the ministry for another province).
  {
    action: 'approveMove',
    from: 'DIAJUKAN',
    to: 'DISETUJUI',
    roles: ['dinsos', 'verifikator_provinsi', 'kemensos'] as Role[],
    requiresReason: true,
    requiresEvidence: true,
  },
  {
    action: 'reject',
    from: 'DIAJUKAN',
    to: 'DITOLAK',
    roles: ['dinsos'] as Role[],
    requiresReason: true,
    requiresEvidence: false,
  },
  // Reverting the batch that opened it (a wrong signal file): an open case is withdrawn, a decided
  // one reverted with compensating household events; never edited.
  {
    action: 'withdraw',
    from: 'DIAJUKAN',
    to: 'DITARIK',
    roles: PERMISSIONS['batches:revert'],
    requiresReason: true,
    requiresEvidence: false,
  },
  {
    action: 'revert',
    from: 'DISETUJUI',
    to: 'DIBATALKAN',
    roles: PERMISSIONS['batches:revert'],
    requiresReason: true,
    requiresEvidence: false,
  },
] as const;
export type StatusChangeStatus = 'NONE' | 'DIAJUKAN' | 'DISETUJUI' | 'DITOLAK' | 'DITARIK' | 'DIBATALKAN';

/** Where the request came from: a person, or a cross-agency signal (which never decides by itself). */
export type StatusChangeSource =
  | { type: 'PETUGAS' }
  | { type: 'SINYAL'; agency: string; signalId: string }
  | { type: 'JADWAL'; staleSince: string }
  | { type: 'SANGGAH'; objectionId: string }
  | { type: 'BANDING'; appealId: string };

export type StatusChangeEvent =
  | {
      type: 'StatusChangeRequested';
      data: {
        caseId: string;
        householdId: string;
        villageCode: string;
        details: StatusChangeDetails;
        source: StatusChangeSource;
      };
    }
  | { type: 'StatusChangeApproved'; data: { decidedBy: string } }
  | { type: 'StatusChangeRejected'; data: { decidedBy: string } }
  | { type: 'StatusChangeWithdrawn'; data: { withdrawnBy: string; revertedBatchId: string } }
  | { type: 'StatusChangeReverted'; data: { revertedBy: string; revertedBatchId: string } };

export interface StatusChangeState {
  readonly status: StatusChangeStatus;
  readonly caseId?: string;
  readonly householdId?: string;
  readonly villageCode?: string;
  readonly details?: StatusChangeDetails;
}

type Ctx = CaseCommandContext;
export type StatusChangeCommand =
  | (Ctx & {
      type: 'request';
      caseId: string;
      householdId: string;
      villageCode: string;
      details: StatusChangeDetails;
      source: StatusChangeSource;
    })
  | (Ctx & { type: 'approve' | 'reject' })
  | (Ctx & { type: 'withdraw' | 'revert'; revertedBatchId: string });

function evolve(state: StatusChangeState, event: StatusChangeEvent): StatusChangeState {
  switch (event.type) {
    case 'StatusChangeRequested':
      return { status: 'DIAJUKAN', ...event.data };
    case 'StatusChangeApproved':
      return { ...state, status: 'DISETUJUI' };
    case 'StatusChangeRejected':
      return { ...state, status: 'DITOLAK' };
    case 'StatusChangeWithdrawn':
      return { ...state, status: 'DITARIK' };
    case 'StatusChangeReverted':
      return { ...state, status: 'DIBATALKAN' };
  }
}

function decide(command: StatusChangeCommand, state: StatusChangeState): StatusChangeEvent[] | Rejection {
  if (state.status === 'NONE' && command.type !== 'request')
    return reject('not_found', 'CASE_NOT_FOUND', { id: 'Kasus perubahan tidak ditemukan', en: 'Status-change case not found' });
  const action =
    command.type === 'request' && command.source.type !== 'PETUGAS'
      ? 'openBySystem'
      : command.type === 'approve' && state.details?.kind === 'PINDAH'
        ? 'approveMove'
        : command.type;
  const row = STATUS_CHANGE_TRANSITIONS.find((t) => t.action === action)!;
  const region = command.type === 'request' ? command.villageCode : state.villageCode!;
  const refused = checkCaseTransition(row, command, state.status, region) ?? checkDestination(row, command, state);
  if (refused) return refused;
  if (command.type === 'request' && command.details.kind === 'PERINGKAT_ULANG') {
    const problems = indicatorProblems(command.details.indicators);
    if (problems.length > 0)
      return reject(
        'rule',
        'INDICATORS_INVALID',
        { id: 'Indikator tidak lengkap/valid', en: 'Indicators are incomplete or invalid' },
        problems,
      );
  }
  switch (command.type) {
    case 'request':
      return [
        {
          type: 'StatusChangeRequested',
          data: {
            caseId: command.caseId,
            householdId: command.householdId,
            villageCode: command.villageCode,
            details: command.details,
            source: command.source,
          },
        },
      ];
    case 'approve':
      return [{ type: 'StatusChangeApproved', data: { decidedBy: command.actor.userId } }];
    case 'reject':
      return [{ type: 'StatusChangeRejected', data: { decidedBy: command.actor.userId } }];
    case 'withdraw':
      return [
        { type: 'StatusChangeWithdrawn', data: { withdrawnBy: command.actor.userId, revertedBatchId: command.revertedBatchId } },
      ];
    case 'revert':
      return [
        { type: 'StatusChangeReverted', data: { revertedBy: command.actor.userId, revertedBatchId: command.revertedBatchId } },
      ];
  }
}

/**
 * Approving a move changes the household's region: the approver must hold the destination village
 * as well as the current one, or a caseworker could hand a household (and its personal data) to a
 * region outside their own. A request moves nothing (the case stays in the current village).
 */
function checkDestination(
  row: (typeof STATUS_CHANGE_TRANSITIONS)[number],
  command: StatusChangeCommand,
  state: StatusChangeState,
): Rejection | undefined {
  if (command.type !== 'approve' || state.details?.kind !== 'PINDAH') return undefined;
  return authorize(command.actor, row.roles, state.details.toVillageCode);
}

/**
 * Who is asked to approve a change (the work queue): a move out of the regency waits for the
 * province, out of the province for the ministry, since the approver must hold both villages.
 */
export function approversOf(villageCode: string, details: StatusChangeDetails): Role[] {
  if (details.kind !== 'PINDAH') return ['dinsos'];
  const to = details.toVillageCode;
  if (to.slice(0, 5) === villageCode.slice(0, 5)) return ['dinsos'];
  return to.slice(0, 2) === villageCode.slice(0, 2) ? ['verifikator_provinsi'] : ['kemensos'];
}

/**
 * The household command an approved change carries out. Re-ranking needs the PMT model in force
 * (passed in, so this stays pure): the new desil and class come from the new indicators.
 */
export function householdCommandFor(
  caseId: string,
  details: StatusChangeDetails,
  model?: PmtModel,
  livingMembers = 0,
): HouseholdCommand {
  switch (details.kind) {
    case 'MENINGGAL':
      return { type: 'recordDeath', memberIndex: details.memberIndex, diedOn: details.diedOn, changeCaseId: caseId };
    case 'KELAHIRAN':
      return { type: 'recordBirth', member: details.member, changeCaseId: caseId };
    case 'PINDAH':
      return { type: 'recordMove', toVillageCode: details.toVillageCode, address: details.address, changeCaseId: caseId };
    case 'GRADUASI':
    case 'SUDAH_MAMPU':
    case 'GANDA':
      return { type: 'deactivate', reason: details.kind, changeCaseId: caseId };
    case 'VERIFIKASI_ULANG':
      return { type: 'recordReverification', changeCaseId: caseId };
    case 'PERBAIKAN_DATA':
      return { type: 'correctMember', memberIndex: details.memberIndex, corrections: details.corrections, changeCaseId: caseId };
    case 'PERINGKAT_ULANG':
      return { type: 'rerank', result: assess(model!, details.indicators, livingMembers, true), changeCaseId: caseId };
  }
}

export const statusChangeDecider: Decider<StatusChangeCommand, StatusChangeEvent, StatusChangeState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'NONE' }),
};
