import { PERMISSIONS } from '../auth/policy';
import { Role } from '../auth/roles';
import { BilingualText } from '../shared/decider';

/**
 * The verval state machine for a registration, written once as data. `decide` enforces it, the
 * API serves it at GET /api/v1/verval/state-machine, and the diagram in docs/state-machine.md is generated from it.
 */
export const VERVAL_STATES = {
  DRAFT: { id: 'Draf', en: 'Draft', stage: 'DRAF', terminal: false },
  PERLU_PERBAIKAN: { id: 'Perlu Perbaikan', en: 'Needs correction', stage: 'PERLU_PERBAIKAN', terminal: false },
  PEMERIKSAAN_DOKUMEN: { id: 'Pemeriksaan kelengkapan dokumen', en: 'Document check', stage: 'DALAM_PROSES', terminal: false },
  DATA_TIDAK_LENGKAP: { id: 'Data Tidak Lengkap', en: 'Documents incomplete', stage: 'DATA_TIDAK_LENGKAP', terminal: false },
  VALIDASI: { id: 'Validasi data', en: 'Validation', stage: 'DALAM_PROSES', terminal: false },
  VERIFIKASI_LAPANGAN: { id: 'Verifikasi lapangan', en: 'Field verification', stage: 'DALAM_PROSES', terminal: false },
  ANALISIS_KELAYAKAN: { id: 'Analisis kelayakan', en: 'Eligibility analysis', stage: 'DALAM_PROSES', terminal: false },
  MENUNGGU_PERSETUJUAN_OVERRIDE: {
    id: 'Menunggu persetujuan koreksi hasil',
    en: 'Override awaiting second approval',
    stage: 'DALAM_PROSES',
    terminal: false,
  },
  MENUNGGU_MUSDES: {
    id: 'Layak, menunggu musyawarah desa',
    en: 'Eligible, awaiting village deliberation',
    stage: 'TERVERIFIKASI',
    terminal: false,
  },
  MENUNGGU_KABUPATEN: {
    id: 'Menunggu persetujuan kabupaten/kota',
    en: 'Awaiting regency approval',
    stage: 'TERVERIFIKASI',
    terminal: false,
  },
  MENUNGGU_PROVINSI: {
    id: 'Menunggu persetujuan provinsi',
    en: 'Awaiting province approval',
    stage: 'TERVERIFIKASI',
    terminal: false,
  },
  MENUNGGU_PENETAPAN: {
    id: 'Menunggu penetapan Kemensos',
    en: 'Awaiting ministry establishment',
    stage: 'TERVERIFIKASI',
    terminal: false,
  },
  DITETAPKAN: { id: 'Ditetapkan', en: 'Established', stage: 'DITETAPKAN', terminal: true },
  TIDAK_LAYAK: { id: 'Tidak Layak', en: 'Not eligible', stage: 'TIDAK_LAYAK', terminal: true },
  DITOLAK: { id: 'Ditolak', en: 'Rejected', stage: 'DITOLAK', terminal: true },
  DIBATALKAN: { id: 'Dibatalkan', en: 'Withdrawn', stage: 'DIBATALKAN', terminal: true },
} as const satisfies Record<string, BilingualText & { stage: string; terminal: boolean }>;

export type VervalState = keyof typeof VERVAL_STATES;
/** A case that has no event yet. */
export const NO_CASE = 'NONE';
export type CaseState = VervalState | typeof NO_CASE;

export type VervalAction =
  | 'saveDraft'
  | 'attachDocument'
  | 'submit'
  | 'checkDocuments'
  | 'resubmitDocuments'
  | 'validate'
  | 'recordFieldVerification'
  | 'assessEligibility'
  | 'proposeOverride'
  | 'decideOverride'
  | 'decideMusdes'
  | 'decideRegency'
  | 'decideProvince'
  | 'establish'
  | 'withdraw'
  | 'reopenAfterAppeal'
  | 'revertBatchDecision';

export interface VervalTransition {
  readonly action: VervalAction;
  /** Which result of the action this row is about ('done' when the action has one result). */
  readonly outcome: string;
  readonly from: readonly CaseState[];
  /** 'same' keeps the state (edits, attachments). */
  readonly to: VervalState | 'same';
  readonly roles: readonly Role[];
  readonly requiresReason: boolean;
  readonly requiresEvidence: boolean;
  readonly label: BilingualText;
}

const APPROVED_TO = { musdes: 'MENUNGGU_KABUPATEN', kabupaten: 'MENUNGGU_PROVINSI', provinsi: 'MENUNGGU_PENETAPAN' } as const;
/** Where reverting a batch approval at each level returns a case (the decider's statusAfter reads it too). */
export const REVERTED_TO = { musdes: 'MENUNGGU_MUSDES', kabupaten: 'MENUNGGU_KABUPATEN', provinsi: 'MENUNGGU_PROVINSI' } as const;
const APPLICANT_SIDE: readonly Role[] = ['pemohon', 'operator_desa', 'pendamping'];
const EDITABLE: readonly CaseState[] = ['DRAFT', 'PERLU_PERBAIKAN'];

function t(
  action: VervalAction,
  outcome: string,
  from: readonly CaseState[],
  to: VervalState | 'same',
  roles: readonly Role[],
  label: BilingualText,
  needs: { reason?: boolean; evidence?: boolean } = {},
): VervalTransition {
  return {
    action,
    outcome,
    from,
    to,
    roles,
    requiresReason: needs.reason ?? false,
    requiresEvidence: needs.evidence ?? false,
    label,
  };
}

export const VERVAL_TRANSITIONS: readonly VervalTransition[] = [
  t('saveDraft', 'created', [NO_CASE], 'DRAFT', APPLICANT_SIDE, { id: 'Simpan draf baru', en: 'Save a new draft' }),
  t('saveDraft', 'saved', EDITABLE, 'same', APPLICANT_SIDE, { id: 'Simpan perubahan data', en: 'Save changes' }),
  t(
    'attachDocument',
    'done',
    [...EDITABLE, 'DATA_TIDAK_LENGKAP', 'PEMERIKSAAN_DOKUMEN'],
    'same',
    APPLICANT_SIDE,
    { id: 'Unggah dokumen', en: 'Attach a document' },
    { evidence: true },
  ),
  t('submit', 'passed', EDITABLE, 'PEMERIKSAAN_DOKUMEN', APPLICANT_SIDE, {
    id: 'Ajukan: lolos pemeriksaan otomatis',
    en: 'Submit: automatic checks passed',
  }),
  t('submit', 'failed', EDITABLE, 'PERLU_PERBAIKAN', APPLICANT_SIDE, {
    id: 'Ajukan: gagal pemeriksaan otomatis',
    en: 'Submit: automatic checks failed',
  }),
  t('checkDocuments', 'complete', ['PEMERIKSAAN_DOKUMEN'], 'VALIDASI', ['operator_desa'], {
    id: 'Dokumen lengkap',
    en: 'Documents complete',
  }),
  t(
    'checkDocuments',
    'incomplete',
    ['PEMERIKSAAN_DOKUMEN'],
    'DATA_TIDAK_LENGKAP',
    ['operator_desa'],
    { id: 'Dokumen tidak lengkap', en: 'Documents incomplete' },
    { reason: true },
  ),
  t('resubmitDocuments', 'done', ['DATA_TIDAK_LENGKAP'], 'PEMERIKSAAN_DOKUMEN', APPLICANT_SIDE, {
    id: 'Kirim ulang dokumen',
    en: 'Resubmit documents',
  }),
  t('validate', 'field_visit', ['VALIDASI'], 'VERIFIKASI_LAPANGAN', ['operator_desa'], {
    id: 'Data valid, perlu verifikasi lapangan',
    en: 'Valid, field visit needed',
  }),
  t('validate', 'valid', ['VALIDASI'], 'ANALISIS_KELAYAKAN', ['operator_desa'], { id: 'Data valid', en: 'Valid' }),
  t(
    'validate',
    'invalid',
    ['VALIDASI'],
    'PERLU_PERBAIKAN',
    ['operator_desa'],
    { id: 'Data tidak sesuai dokumen', en: 'Data does not match the documents' },
    { reason: true },
  ),
  t(
    'recordFieldVerification',
    'done',
    ['VERIFIKASI_LAPANGAN'],
    'ANALISIS_KELAYAKAN',
    ['pendamping'],
    { id: 'Catat hasil verifikasi lapangan', en: 'Record the field visit' },
    { evidence: true },
  ),
  t('assessEligibility', 'layak', ['ANALISIS_KELAYAKAN'], 'MENUNGGU_MUSDES', ['dinsos'], {
    id: 'Hasil analisis: Layak',
    en: 'Assessed eligible',
  }),
  t('assessEligibility', 'tidak_layak', ['ANALISIS_KELAYAKAN'], 'TIDAK_LAYAK', ['dinsos'], {
    id: 'Hasil analisis: Tidak Layak',
    en: 'Assessed not eligible',
  }),
  t('assessEligibility', 'perlu_verifikasi_lanjutan', ['ANALISIS_KELAYAKAN'], 'VERIFIKASI_LAPANGAN', ['dinsos'], {
    id: 'Perlu Verifikasi Lanjutan',
    en: 'Needs further field verification',
  }),
  t(
    'proposeOverride',
    'done',
    ['MENUNGGU_MUSDES', 'TIDAK_LAYAK'],
    'MENUNGGU_PERSETUJUAN_OVERRIDE',
    ['dinsos'],
    { id: 'Usulkan koreksi hasil analisis', en: 'Propose overriding the assessment' },
    { reason: true, evidence: true },
  ),
  t(
    'decideOverride',
    'layak',
    ['MENUNGGU_PERSETUJUAN_OVERRIDE'],
    'MENUNGGU_MUSDES',
    ['dinsos'],
    { id: 'Keputusan koreksi (orang kedua): Layak', en: 'Second approval: eligible' },
    { reason: true },
  ),
  t(
    'decideOverride',
    'tidak_layak',
    ['MENUNGGU_PERSETUJUAN_OVERRIDE'],
    'TIDAK_LAYAK',
    ['dinsos'],
    { id: 'Keputusan koreksi (orang kedua): Tidak Layak', en: 'Second approval: not eligible' },
    { reason: true },
  ),
  t(
    'decideMusdes',
    'approved',
    ['MENUNGGU_MUSDES'],
    'MENUNGGU_KABUPATEN',
    ['operator_desa'],
    { id: 'Disetujui musyawarah desa/kelurahan', en: 'Approved by village deliberation' },
    { evidence: true },
  ),
  t(
    'decideMusdes',
    'rejected',
    ['MENUNGGU_MUSDES'],
    'DITOLAK',
    ['operator_desa'],
    { id: 'Ditolak musyawarah desa/kelurahan', en: 'Rejected by village deliberation' },
    { reason: true, evidence: true },
  ),
  t('decideRegency', 'approved', ['MENUNGGU_KABUPATEN'], 'MENUNGGU_PROVINSI', ['dinsos'], {
    id: 'Disetujui Bupati/Walikota',
    en: 'Approved by the regency',
  }),
  t(
    'decideRegency',
    'rejected',
    ['MENUNGGU_KABUPATEN'],
    'DITOLAK',
    ['dinsos'],
    { id: 'Ditolak kabupaten/kota', en: 'Rejected by the regency' },
    { reason: true },
  ),
  t('decideProvince', 'approved', ['MENUNGGU_PROVINSI'], 'MENUNGGU_PENETAPAN', ['verifikator_provinsi'], {
    id: 'Diteruskan provinsi',
    en: 'Forwarded by the province',
  }),
  t(
    'decideProvince',
    'rejected',
    ['MENUNGGU_PROVINSI'],
    'DITOLAK',
    ['verifikator_provinsi'],
    { id: 'Ditolak provinsi', en: 'Rejected by the province' },
    { reason: true },
  ),
  t('establish', 'approved', ['MENUNGGU_PENETAPAN'], 'DITETAPKAN', ['kemensos'], {
    id: 'Penetapan Kemensos',
    en: 'Established by the ministry',
  }),
  t(
    'establish',
    'rejected',
    ['MENUNGGU_PENETAPAN'],
    'DITOLAK',
    ['kemensos'],
    { id: 'Tidak ditetapkan Kemensos', en: 'Not established by the ministry' },
    { reason: true },
  ),
  t(
    'withdraw',
    'done',
    [...EDITABLE, 'DATA_TIDAK_LENGKAP'],
    'DIBATALKAN',
    ['pemohon', 'operator_desa'],
    { id: 'Batalkan pendaftaran', en: 'Withdraw the registration' },
    { reason: true },
  ),
  // Taken only by an upheld appeal (banding), in the same write as the appeal's decision.
  t(
    'reopenAfterAppeal',
    'done',
    ['TIDAK_LAYAK'],
    'VERIFIKASI_LAPANGAN',
    ['dinsos'],
    { id: 'Dibuka kembali karena banding dikabulkan', en: 'Reopened by an upheld appeal' },
    { reason: true },
  ),
  // Taken only by reverting a wrongful batch approval, while the case is still where the batch left it.
  ...(['musdes', 'kabupaten', 'provinsi'] as const).map((level) =>
    t(
      'revertBatchDecision',
      level,
      [APPROVED_TO[level]],
      REVERTED_TO[level],
      PERMISSIONS['batches:revert'],
      { id: `Batch persetujuan ${level} dibatalkan`, en: `Batch ${level} approval reverted` },
      { reason: true },
    ),
  ),
];

/** Actions taken by the system or a national correction, never waiting in anyone's queue. */
const NOT_QUEUED: readonly VervalAction[] = ['withdraw', 'reopenAfterAppeal', 'revertBatchDecision'];

/** The staff roles a case in this state waits for (the work queues read it). */
export function awaitingRoles(state: CaseState): Role[] {
  const rows = VERVAL_TRANSITIONS.filter((tr) => tr.from.includes(state) && !NOT_QUEUED.includes(tr.action));
  return [...new Set(rows.flatMap((tr) => tr.roles))].filter((r) => r !== 'pemohon');
}

export function transitionsFor(action: VervalAction): VervalTransition[] {
  return VERVAL_TRANSITIONS.filter((tr) => tr.action === action);
}

/** The row for an action's outcome, if the action is allowed from `state` at all. */
export function findTransition(action: VervalAction, outcome: string, state: CaseState): VervalTransition | undefined {
  return VERVAL_TRANSITIONS.find((tr) => tr.action === action && tr.outcome === outcome && tr.from.includes(state));
}

/** Roles that may take an action (the union over its outcomes). */
export function rolesFor(action: VervalAction): Role[] {
  return [...new Set(transitionsFor(action).flatMap((tr) => tr.roles))];
}

/** The approval chain after eligibility, in order. Each level decides on its own; none skips another. */
export const APPROVAL_LEVELS = ['decideMusdes', 'decideRegency', 'decideProvince', 'establish'] as const;
export type ApprovalAction = (typeof APPROVAL_LEVELS)[number];

/** A Mermaid state diagram of the machine (docs/state-machine.md embeds it). */
export function vervalMermaid(): string {
  const lines = ['stateDiagram-v2', `  [*] --> DRAFT: saveDraft`];
  for (const tr of VERVAL_TRANSITIONS) {
    if (tr.to === 'same') continue;
    for (const from of tr.from) {
      if (from === NO_CASE) continue;
      const extras = [tr.requiresReason ? 'alasan' : '', tr.requiresEvidence ? 'bukti' : ''].filter(Boolean).join(', ');
      lines.push(`  ${from} --> ${tr.to}: ${tr.action}/${tr.outcome} [${tr.roles.join(', ')}]${extras ? ` (${extras})` : ''}`);
    }
  }
  for (const [state, info] of Object.entries(VERVAL_STATES)) if (info.terminal) lines.push(`  ${state} --> [*]`);
  return lines.join('\n');
}

/** Recorded in every event's ruleVersions; bump it when the table above changes. */
export const VERVAL_MACHINE_VERSION = '2026.1';
