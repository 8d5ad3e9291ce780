import { authorize } from '../auth/policy';
import { IndicatorValues, indicatorProblems } from '../eligibility/indicators';
import { assess, PmtResult } from '../eligibility/pmt';
import { Decider, isRejection, reject, Rejection } from '../shared/decider';
import { Application, Channel } from './application';
import { automaticCheckReasons } from './automatic-checks';
import { RegistrationCommand } from './commands';
import { AttachedDocument, missingDocuments } from './documents';
import { ApprovalLevel, RegistrationEvent } from './events';
import {
  CaseState,
  findTransition,
  NO_CASE,
  REVERTED_TO,
  rolesFor,
  transitionsFor,
  VERVAL_STATES,
  VervalAction,
} from './verval-state-machine';

export interface RegistrationState {
  readonly status: CaseState;
  readonly caseId?: string;
  readonly channel?: Channel;
  readonly application?: Application;
  readonly applicantTokenHash?: string;
  readonly documents: readonly AttachedDocument[];
  readonly registrationNumber?: string;
  /** NIKs this case holds against duplicates: set when automatic checks pass, until the case closes. */
  readonly claimedNiks: readonly string[];
  readonly fieldIndicators?: IndicatorValues;
  readonly assessment?: PmtResult;
  readonly pendingOverride?: { readonly outcome: 'layak' | 'tidak_layak'; readonly proposedBy: string };
  readonly override?: { readonly proposedBy: string; readonly approvedBy: string };
  readonly householdId?: string;
  /** The batch approval that last moved the case, while nothing has happened since (it may be reverted). */
  readonly lastBatchDecision?: { readonly batchId: string; readonly level: ApprovalLevel };
}

export const initialState = (): RegistrationState => ({ status: NO_CASE, documents: [], claimedNiks: [] });

const OUTCOME_STATE = {
  layak: 'MENUNGGU_MUSDES',
  tidak_layak: 'TIDAK_LAYAK',
  perlu_verifikasi_lanjutan: 'VERIFIKASI_LAPANGAN',
} as const;
const NEXT_APPROVAL = {
  musdes: 'MENUNGGU_KABUPATEN',
  kabupaten: 'MENUNGGU_PROVINSI',
  provinsi: 'MENUNGGU_PENETAPAN',
  penetapan: 'DITETAPKAN',
} as const;
const CLOSED_WITHOUT_HOUSEHOLD: readonly CaseState[] = ['DITOLAK', 'DIBATALKAN'];

/** The case's state after an event; read models use it too, so the rule lives only here. */
export function statusAfter(status: CaseState, event: RegistrationEvent): CaseState {
  switch (event.type) {
    case 'RegistrationDraftSaved':
      return status === NO_CASE ? 'DRAFT' : status;
    case 'RegistrationDocumentAttached':
    case 'RegistrationSubmitted': // the check result that follows in the same append moves it on
      return status;
    case 'AutomaticChecksPassed':
    case 'DocumentsResubmitted':
      return 'PEMERIKSAAN_DOKUMEN';
    case 'AutomaticChecksFailed':
    case 'RegistrationValidationFailed':
      return 'PERLU_PERBAIKAN';
    case 'DocumentsFoundComplete':
      return 'VALIDASI';
    case 'DocumentsFoundIncomplete':
      return 'DATA_TIDAK_LENGKAP';
    case 'RegistrationValidated':
      return event.data.fieldVisitRequired ? 'VERIFIKASI_LAPANGAN' : 'ANALISIS_KELAYAKAN';
    case 'FieldVerificationRecorded':
      return 'ANALISIS_KELAYAKAN';
    case 'EligibilityAssessed':
      return OUTCOME_STATE[event.data.result.outcome];
    case 'EligibilityOverrideProposed':
      return 'MENUNGGU_PERSETUJUAN_OVERRIDE';
    case 'EligibilityOverrideDecided':
      return OUTCOME_STATE[event.data.outcome];
    case 'ApprovalDecided':
      return event.data.approved ? NEXT_APPROVAL[event.data.level] : 'DITOLAK';
    case 'RegistrationEstablished':
      return 'DITETAPKAN';
    case 'RegistrationWithdrawn':
      return 'DIBATALKAN';
    case 'RegistrationReopenedByAppeal':
      return 'VERIFIKASI_LAPANGAN';
    case 'BatchDecisionReverted':
      return REVERTED_TO[event.data.level];
  }
}

/** Only a batch approval that nothing has followed can be reverted: any later event supersedes it. */
function lastBatchDecisionAfter(event: RegistrationEvent): RegistrationState['lastBatchDecision'] {
  return event.type === 'ApprovalDecided' && event.data.batchId && event.data.approved
    ? { batchId: event.data.batchId, level: event.data.level }
    : undefined;
}

export function evolve(state: RegistrationState, event: RegistrationEvent): RegistrationState {
  const next = {
    ...evolveData(state, event),
    status: statusAfter(state.status, event),
    lastBatchDecision: lastBatchDecisionAfter(event),
  };
  return CLOSED_WITHOUT_HOUSEHOLD.includes(next.status) ? { ...next, claimedNiks: [] } : next;
}

function evolveData(state: RegistrationState, event: RegistrationEvent): RegistrationState {
  switch (event.type) {
    case 'RegistrationDraftSaved':
      return {
        ...state,
        caseId: event.data.caseId,
        channel: event.data.channel,
        application: event.data.application,
        applicantTokenHash: event.data.applicantTokenHash ?? state.applicantTokenHash,
      };
    case 'RegistrationDocumentAttached':
      return { ...state, documents: [...state.documents, event.data.document] };
    case 'RegistrationSubmitted':
      return { ...state, registrationNumber: state.registrationNumber ?? event.data.registrationNumber };
    case 'AutomaticChecksPassed':
      return { ...state, claimedNiks: state.application!.members.map((m) => m.nik) };
    case 'FieldVerificationRecorded':
      return { ...state, fieldIndicators: event.data.indicators };
    case 'EligibilityAssessed':
      return { ...state, assessment: event.data.result, pendingOverride: undefined, override: undefined };
    case 'EligibilityOverrideProposed':
      return { ...state, pendingOverride: { outcome: event.data.proposedOutcome, proposedBy: event.data.proposedBy } };
    case 'EligibilityOverrideDecided': {
      const approved = event.data.approved
        ? { proposedBy: event.data.proposedBy, approvedBy: event.data.decidedBy }
        : state.override;
      return { ...state, pendingOverride: undefined, override: approved };
    }
    case 'RegistrationEstablished':
      return { ...state, householdId: event.data.householdId, claimedNiks: [] };
    default:
      return state;
  }
}

export function decide(command: RegistrationCommand, state: RegistrationState): RegistrationEvent[] | Rejection {
  if (state.status === NO_CASE && command.type !== 'saveDraft') {
    return reject('not_found', 'CASE_NOT_FOUND', { id: 'Pendaftaran tidak ditemukan', en: 'Registration not found' });
  }
  // Who may act is checked before the state, so a stranger learns nothing about the case.
  const denied = authorizeActor(command, state);
  if (denied) return denied;
  if (!transitionsFor(command.type).some((tr) => tr.from.includes(state.status)))
    return notAllowedFrom(command.type, state.status);
  const decided = decideAllowed(command, state);
  if (isRejection(decided)) return decided;
  return checkNeeds(command, decided.outcome, state) ?? decided.events;
}

type Decided = { outcome: string; events: RegistrationEvent[] } | Rejection;

function decideAllowed(command: RegistrationCommand, state: RegistrationState): Decided {
  switch (command.type) {
    case 'saveDraft':
      return saveDraft(command, state);
    case 'attachDocument':
      if (
        command.document.memberIndex !== undefined &&
        command.document.memberIndex >= (state.application?.members.length ?? 0)
      ) {
        return reject('rule', 'MEMBER_INDEX', {
          id: 'Nomor anggota keluarga tidak ada',
          en: 'No household member with that index',
        });
      }
      return done([{ type: 'RegistrationDocumentAttached', data: { document: command.document } }]);
    case 'submit':
      return submit(command, state);
    case 'checkDocuments':
      return checkDocuments(command, state);
    case 'resubmitDocuments':
      return done([{ type: 'DocumentsResubmitted', data: { documentCount: state.documents.length } }]);
    case 'validate':
      if (!command.valid)
        return { outcome: 'invalid', events: [{ type: 'RegistrationValidationFailed', data: { fields: command.fields ?? [] } }] };
      return {
        outcome: command.fieldVisitRequired ? 'field_visit' : 'valid',
        events: [{ type: 'RegistrationValidated', data: { fieldVisitRequired: command.fieldVisitRequired } }],
      };
    case 'recordFieldVerification':
      return recordFieldVerification(command);
    case 'assessEligibility': {
      const indicators = (state.fieldIndicators ?? state.application!.declaredIndicators) as IndicatorValues;
      const result = assess(command.model, indicators, state.application!.members.length, state.fieldIndicators !== undefined);
      return { outcome: result.outcome, events: [{ type: 'EligibilityAssessed', data: { result } }] };
    }
    case 'proposeOverride':
      return proposeOverride(command, state);
    case 'decideOverride':
      return decideOverride(command, state);
    case 'decideMusdes':
    case 'decideRegency':
    case 'decideProvince':
      return approval(
        command.approve,
        { decideMusdes: 'musdes', decideRegency: 'kabupaten', decideProvince: 'provinsi' } as const,
        command,
      );
    case 'establish':
      return establish(command, state);
    case 'withdraw':
      return done([{ type: 'RegistrationWithdrawn', data: {} }]);
    case 'reopenAfterAppeal':
      return done([{ type: 'RegistrationReopenedByAppeal', data: { appealId: command.appealId } }]);
    case 'revertBatchDecision':
      return revertBatchDecision(command, state);
  }
}

const done = (events: RegistrationEvent[]): Decided => ({ outcome: 'done', events });

/** A citizen registers themselves online or proposes a neighbour; staff use the other channels. */
const CHANNELS_OF: Record<'citizen' | 'staff', readonly Channel[]> = {
  citizen: ['ONLINE', 'USUL_WARGA'],
  staff: ['KANTOR_DESA', 'PENDAMPING', 'USUL_WARGA'],
};

function saveDraft(command: Extract<RegistrationCommand, { type: 'saveDraft' }>, state: RegistrationState): Decided {
  const creating = state.status === NO_CASE;
  if (creating && !CHANNELS_OF[command.actor.role === 'pemohon' ? 'citizen' : 'staff'].includes(command.channel)) {
    return reject('rule', 'CHANNEL_ROLE', {
      id: 'Saluran ONLINE hanya untuk pendaftaran mandiri oleh warga; warga hanya dapat mendaftar mandiri atau mengusulkan',
      en: 'ONLINE is for self-registration by a citizen; a citizen may only self-register or propose (USUL_WARGA)',
    });
  }
  if (!creating && (command.channel !== state.channel || command.caseId !== state.caseId)) {
    return reject('rule', 'CHANNEL_FIXED', {
      id: 'Saluran pendaftaran tidak dapat diubah',
      en: 'The registration channel cannot be changed',
    });
  }
  if (!creating && command.application.villageCode !== state.application!.villageCode && state.registrationNumber) {
    return reject('rule', 'VILLAGE_FIXED', {
      id: 'Desa tidak dapat diubah setelah diajukan',
      en: 'The village cannot change after submission',
    });
  }
  const data = {
    caseId: command.caseId,
    channel: command.channel,
    application: command.application,
    ...(creating && command.newApplicantTokenHash ? { applicantTokenHash: command.newApplicantTokenHash } : {}),
  };
  return { outcome: creating ? 'created' : 'saved', events: [{ type: 'RegistrationDraftSaved', data }] };
}

function submit(command: Extract<RegistrationCommand, { type: 'submit' }>, state: RegistrationState): Decided {
  const events: RegistrationEvent[] = state.registrationNumber
    ? []
    : [{ type: 'RegistrationSubmitted', data: { registrationNumber: command.registrationNumber } }];
  const reasons = automaticCheckReasons(state.application!, `registration-${state.caseId}`, command.facts);
  if (reasons.length > 0)
    return {
      outcome: 'failed',
      events: [...events, { type: 'AutomaticChecksFailed', data: { checkedOn: command.facts.today, reasons } }],
    };
  return { outcome: 'passed', events: [...events, { type: 'AutomaticChecksPassed', data: { checkedOn: command.facts.today } }] };
}

function checkDocuments(command: Extract<RegistrationCommand, { type: 'checkDocuments' }>, state: RegistrationState): Decided {
  const missing = missingDocuments(state.application!, state.documents, command.at.slice(0, 10));
  if (!command.complete) return { outcome: 'incomplete', events: [{ type: 'DocumentsFoundIncomplete', data: { missing } }] };
  if (missing.length > 0) {
    return reject(
      'rule',
      'DOCUMENTS_MISSING',
      { id: 'Dokumen wajib belum lengkap', en: 'Required documents are missing' },
      missing,
    );
  }
  return { outcome: 'complete', events: [{ type: 'DocumentsFoundComplete', data: { documentCount: state.documents.length } }] };
}

function recordFieldVerification(command: Extract<RegistrationCommand, { type: 'recordFieldVerification' }>): Decided {
  const problems = indicatorProblems(command.indicators);
  if (problems.length > 0)
    return reject(
      'rule',
      'INDICATORS_INVALID',
      { id: 'Indikator kunjungan lapangan tidak lengkap/valid', en: 'Field visit indicators are incomplete or invalid' },
      problems,
    );
  if (command.visitedOn > command.at.slice(0, 10))
    return reject('rule', 'VISIT_IN_FUTURE', {
      id: 'Tanggal kunjungan tidak boleh di masa depan',
      en: 'The visit date cannot be in the future',
    });
  const data = {
    visitedOn: command.visitedOn,
    indicators: command.indicators,
    ...(command.notes ? { notes: command.notes } : {}),
  };
  return done([{ type: 'FieldVerificationRecorded', data }]);
}

function proposeOverride(command: Extract<RegistrationCommand, { type: 'proposeOverride' }>, state: RegistrationState): Decided {
  const current = state.status === 'TIDAK_LAYAK' ? 'tidak_layak' : 'layak';
  if (command.outcome === current) {
    return reject('rule', 'OVERRIDE_SAME_OUTCOME', {
      id: 'Koreksi harus mengubah hasil analisis',
      en: 'An override must change the outcome',
    });
  }
  return done([
    {
      type: 'EligibilityOverrideProposed',
      data: { proposedOutcome: command.outcome, computedOutcome: current, proposedBy: command.actor.userId },
    },
  ]);
}

function decideOverride(command: Extract<RegistrationCommand, { type: 'decideOverride' }>, state: RegistrationState): Decided {
  const pending = state.pendingOverride!;
  if (pending.proposedBy === command.actor.userId) {
    return reject('rule', 'FOUR_EYES', {
      id: 'Koreksi harus disetujui oleh orang kedua',
      en: 'An override needs a second person to decide it',
    });
  }
  const outcome = command.approve ? pending.outcome : pending.outcome === 'layak' ? 'tidak_layak' : 'layak';
  return {
    outcome,
    events: [
      {
        type: 'EligibilityOverrideDecided',
        data: { approved: command.approve, outcome, proposedBy: pending.proposedBy, decidedBy: command.actor.userId },
      },
    ],
  };
}

function approval<A extends string>(
  approve: boolean,
  levels: Record<A, 'musdes' | 'kabupaten' | 'provinsi'>,
  command: RegistrationCommand & { type: A },
): Decided {
  const data = { level: levels[command.type], approved: approve, ...(command.batchId ? { batchId: command.batchId } : {}) };
  return { outcome: approve ? 'approved' : 'rejected', events: [{ type: 'ApprovalDecided', data }] };
}

function establish(command: Extract<RegistrationCommand, { type: 'establish' }>, state: RegistrationState): Decided {
  const batch = command.batchId ? { batchId: command.batchId } : {};
  if (!command.approve)
    return {
      outcome: 'rejected',
      events: [{ type: 'ApprovalDecided', data: { level: 'penetapan', approved: false, ...batch } }],
    };
  const a = state.assessment!;
  const data = {
    householdId: command.householdId,
    registrationNumber: state.registrationNumber!,
    desil: a.desil,
    classification: a.classification,
    pmtVersion: a.modelVersion,
    ...batch,
    ...(state.override ? { override: state.override } : {}),
  };
  return { outcome: 'approved', events: [{ type: 'RegistrationEstablished', data }] };
}

function revertBatchDecision(
  command: Extract<RegistrationCommand, { type: 'revertBatchDecision' }>,
  state: RegistrationState,
): Decided {
  const last = state.lastBatchDecision;
  if (!last || last.batchId !== command.revertedBatchId || last.level === 'penetapan')
    return reject('conflict', 'BATCH_SUPERSEDED', {
      id: 'Kasus sudah berlanjut sejak batch itu; tidak dapat dibatalkan otomatis',
      en: 'The case has moved on since that batch; it cannot be reverted automatically',
    });
  const level = last.level;
  return {
    outcome: level,
    events: [{ type: 'BatchDecisionReverted', data: { level, revertedBatchId: command.revertedBatchId } }],
  };
}

function notAllowedFrom(action: VervalAction, status: CaseState): Rejection {
  const label = status === NO_CASE ? { id: '-', en: '-' } : VERVAL_STATES[status];
  return reject('conflict', 'TRANSITION_NOT_ALLOWED', {
    id: `Tindakan ${action} tidak dapat dilakukan pada tahap "${label.id}"`,
    en: `Action ${action} is not allowed in state "${label.en}"`,
  });
}

/** Role and region through the one policy; an applicant proves the case is theirs with its token. */
function authorizeActor(command: RegistrationCommand, state: RegistrationState): Rejection | undefined {
  const region = state.application?.villageCode ?? (command.type === 'saveDraft' ? command.application.villageCode : '');
  const roles = rolesFor(command.type);
  if (command.actor.role !== 'pemohon') {
    // A draft that changes its village moves the case: the actor must hold the old and the new region.
    const movingTo = command.type === 'saveDraft' && state.application ? command.application.villageCode : undefined;
    return authorize(command.actor, roles, region) ?? (movingTo ? authorize(command.actor, roles, movingTo) : undefined);
  }
  const ownsCase =
    state.status === NO_CASE ||
    (state.applicantTokenHash !== undefined && state.applicantTokenHash === command.applicantTokenHash);
  if (!ownsCase)
    return reject('forbidden', 'APPLICANT_TOKEN', {
      id: 'Kode akses pendaftaran tidak sesuai',
      en: 'The registration access code does not match',
    });
  return authorize({ ...command.actor, region }, roles, region);
}

/** The chosen outcome's row says whether a reason or evidence is required. */
function checkNeeds(command: RegistrationCommand, outcome: string, state: RegistrationState): Rejection | undefined {
  const row = findTransition(command.type, outcome, state.status)!;
  if (row.requiresReason && !command.reason?.trim()) {
    return reject('rule', 'REASON_REQUIRED', {
      id: `Alasan wajib diisi untuk "${row.label.id}"`,
      en: `A reason is required for "${row.label.en}"`,
    });
  }
  if (row.requiresEvidence && command.type !== 'attachDocument' && !(command.evidence?.length ?? 0)) {
    return reject('rule', 'EVIDENCE_REQUIRED', {
      id: `Bukti wajib dilampirkan untuk "${row.label.id}"`,
      en: `Evidence is required for "${row.label.en}"`,
    });
  }
  return undefined;
}

export const registrationDecider: Decider<RegistrationCommand, RegistrationEvent, RegistrationState> = {
  decide,
  evolve,
  initialState,
};
