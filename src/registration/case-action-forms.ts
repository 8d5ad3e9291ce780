import { Role } from '../auth/roles';
import { BilingualText } from '../shared/decider';
import { ACTION_ROUTES, RoutedAction } from './registration-routes';
import { CaseState, VERVAL_TRANSITIONS, VervalAction } from './verval-state-machine';

/** What a case page asks for each action, beyond reason and evidence (which every action may carry). */
type FormShape =
  | { kind: 'plain' }
  | { kind: 'choice'; field: string; yes: BilingualText; no: BilingualText; extra?: 'fieldVisit' }
  | { kind: 'fieldVerification' }
  | { kind: 'override' };

const APPROVE = { field: 'approve', yes: { id: 'Setujui', en: 'Approve' }, no: { id: 'Tolak', en: 'Reject' } };

const SHAPES: Partial<Record<RoutedAction, FormShape>> = {
  submit: { kind: 'plain' },
  checkDocuments: {
    kind: 'choice',
    field: 'complete',
    yes: { id: 'Dokumen lengkap', en: 'Complete' },
    no: { id: 'Tidak lengkap', en: 'Incomplete' },
  },
  resubmitDocuments: { kind: 'plain' },
  validate: {
    kind: 'choice',
    field: 'valid',
    yes: { id: 'Data valid', en: 'Valid' },
    no: { id: 'Perlu perbaikan', en: 'Needs correction' },
    extra: 'fieldVisit',
  },
  recordFieldVerification: { kind: 'fieldVerification' },
  assessEligibility: { kind: 'plain' },
  proposeOverride: { kind: 'override' },
  decideOverride: { kind: 'choice', ...APPROVE },
  decideMusdes: { kind: 'choice', ...APPROVE },
  decideRegency: { kind: 'choice', ...APPROVE },
  decideProvince: { kind: 'choice', ...APPROVE },
  establish: { kind: 'choice', ...APPROVE },
  withdraw: { kind: 'plain' },
};

/** One title per action (the table's labels name each outcome; a form covers them all). */
export const ACTION_TITLES: Record<RoutedAction, BilingualText> = {
  saveDraft: { id: 'Simpan draf', en: 'Save the draft' },
  attachDocument: { id: 'Unggah dokumen', en: 'Attach a document' },
  submit: { id: 'Ajukan pendaftaran', en: 'Submit the registration' },
  checkDocuments: { id: 'Pemeriksaan kelengkapan dokumen', en: 'Document check' },
  resubmitDocuments: { id: 'Kirim ulang dokumen', en: 'Resubmit documents' },
  validate: { id: 'Validasi data', en: 'Validate the data' },
  recordFieldVerification: { id: 'Catat hasil verifikasi lapangan', en: 'Record the field visit' },
  assessEligibility: { id: 'Jalankan analisis kelayakan (PMT)', en: 'Run the eligibility analysis (PMT)' },
  proposeOverride: { id: 'Usulkan koreksi hasil analisis', en: 'Propose overriding the assessment' },
  decideOverride: { id: 'Persetujuan koreksi hasil', en: 'Decide on the override' },
  decideMusdes: { id: 'Keputusan musyawarah desa', en: 'Village deliberation decision' },
  decideRegency: { id: 'Persetujuan kabupaten/kota', en: 'Regency approval' },
  decideProvince: { id: 'Persetujuan provinsi', en: 'Province approval' },
  establish: { id: 'Penetapan Kemensos', en: 'Ministry establishment' },
  withdraw: { id: 'Batalkan pendaftaran', en: 'Withdraw the registration' },
};

export interface ActionForm {
  readonly action: RoutedAction;
  readonly label: BilingualText;
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  readonly shape: FormShape;
  readonly reasonRequired: boolean;
  readonly evidenceRequired: boolean;
}

/**
 * The forms a case page offers: exactly the state machine's transitions from the case's state that
 * the reader's role may take (drafts and attachments are edited in their own forms).
 */
export function actionFormsFor(caseId: string, status: CaseState, role: Role): ActionForm[] {
  const rows = VERVAL_TRANSITIONS.filter((t) => t.from.includes(status) && t.roles.includes(role));
  const actions = [...new Set(rows.map((t) => t.action))].filter((a): a is RoutedAction => hasForm(a));
  return actions.map((action) => {
    const mine = rows.filter((t) => t.action === action);
    const { method, path } = ACTION_ROUTES[action];
    return {
      action,
      label: ACTION_TITLES[action],
      method,
      url: `/api/v1/registrations/${path.replace(':id', caseId)}`,
      shape: SHAPES[action]!,
      reasonRequired: mine.every((t) => t.requiresReason),
      evidenceRequired: mine.every((t) => t.requiresEvidence),
    };
  });
}

function hasForm(action: VervalAction): action is RoutedAction {
  return action in SHAPES;
}
