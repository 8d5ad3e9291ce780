import { registrationDecider } from '../../src/registration/decider';
import { RegistrationCommand } from '../../src/registration/commands';
import { RegistrationEvent } from '../../src/registration/events';
import { VERVAL_TRANSITIONS, VervalState } from '../../src/registration/verval-state-machine';
import { specFor } from '../support/decider-spec';
import {
  actor,
  ALL_DOCUMENTS,
  application,
  AT,
  CASE_ID,
  cmd,
  EVIDENCE,
  facts,
  history,
  MODEL,
  OTHER_VILLAGE,
  POOR,
  TOKEN_HASH,
  WELL_OFF,
} from './fixtures';

const spec = specFor(registrationDecider);

interface Scenario {
  given: RegistrationEvent[];
  when: RegistrationCommand;
  then: RegistrationEvent['type'][];
  state: VervalState;
}

/** One scenario per row of the state machine: given the history, when the command, then these events and state. */
const SCENARIOS: Record<string, Scenario> = {
  'saveDraft/created': {
    given: [],
    when: cmd('saveDraft', 'operator_desa', { caseId: CASE_ID, channel: 'KANTOR_DESA', application: application() }),
    then: ['RegistrationDraftSaved'],
    state: 'DRAFT',
  },
  'saveDraft/saved': {
    given: history.perluPerbaikan(),
    when: cmd('saveDraft', 'operator_desa', {
      caseId: CASE_ID,
      channel: 'KANTOR_DESA',
      application: application({ address: 'Jl. Baru' }),
    }),
    then: ['RegistrationDraftSaved'],
    state: 'PERLU_PERBAIKAN',
  },
  'attachDocument/done': {
    given: history.draft(),
    when: cmd('attachDocument', 'operator_desa', { document: ALL_DOCUMENTS[0] }),
    then: ['RegistrationDocumentAttached'],
    state: 'DRAFT',
  },
  'submit/passed': {
    given: history.draft(),
    when: cmd('submit', 'operator_desa', { registrationNumber: 'REG-3204102001-261124-ABCDEF', facts: facts() }),
    then: ['RegistrationSubmitted', 'AutomaticChecksPassed'],
    state: 'PEMERIKSAAN_DOKUMEN',
  },
  'submit/failed': {
    given: history.draft(application({ kkNumber: '12' })),
    when: cmd('submit', 'operator_desa', { registrationNumber: 'REG-3204102001-261124-ABCDEF', facts: facts() }),
    then: ['RegistrationSubmitted', 'AutomaticChecksFailed'],
    state: 'PERLU_PERBAIKAN',
  },
  'checkDocuments/complete': {
    given: history.pemeriksaanDokumen(),
    when: cmd('checkDocuments', 'operator_desa', { complete: true }),
    then: ['DocumentsFoundComplete'],
    state: 'VALIDASI',
  },
  'checkDocuments/incomplete': {
    given: history.pemeriksaanDokumen(false),
    when: cmd('checkDocuments', 'operator_desa', { complete: false, reason: 'KK belum diunggah' }),
    then: ['DocumentsFoundIncomplete'],
    state: 'DATA_TIDAK_LENGKAP',
  },
  'resubmitDocuments/done': {
    given: history.dataTidakLengkap(),
    when: cmd('resubmitDocuments', 'pendamping', {}),
    then: ['DocumentsResubmitted'],
    state: 'PEMERIKSAAN_DOKUMEN',
  },
  'validate/field_visit': {
    given: history.validasi(),
    when: cmd('validate', 'operator_desa', { valid: true, fieldVisitRequired: true }),
    then: ['RegistrationValidated'],
    state: 'VERIFIKASI_LAPANGAN',
  },
  'validate/valid': {
    given: history.validasi(),
    when: cmd('validate', 'operator_desa', { valid: true, fieldVisitRequired: false }),
    then: ['RegistrationValidated'],
    state: 'ANALISIS_KELAYAKAN',
  },
  'validate/invalid': {
    given: history.validasi(),
    when: cmd('validate', 'operator_desa', { valid: false, fieldVisitRequired: false, reason: 'Nama di KK berbeda' }),
    then: ['RegistrationValidationFailed'],
    state: 'PERLU_PERBAIKAN',
  },
  'recordFieldVerification/done': {
    given: history.verifikasiLapangan(),
    when: cmd('recordFieldVerification', 'pendamping', { visitedOn: '2026-11-20', indicators: POOR, evidence: EVIDENCE }),
    then: ['FieldVerificationRecorded'],
    state: 'ANALISIS_KELAYAKAN',
  },
  'assessEligibility/layak': {
    given: history.analisis(POOR),
    when: cmd('assessEligibility', 'dinsos', { model: MODEL }),
    then: ['EligibilityAssessed'],
    state: 'MENUNGGU_MUSDES',
  },
  'assessEligibility/tidak_layak': {
    given: history.analisis(WELL_OFF),
    when: cmd('assessEligibility', 'dinsos', { model: MODEL }),
    then: ['EligibilityAssessed'],
    state: 'TIDAK_LAYAK',
  },
  'assessEligibility/perlu_verifikasi_lanjutan': {
    // Declared answers only (no field visit) that score right at the eligibility cut-point.
    given: [...history.validasi(), { type: 'RegistrationValidated', data: { fieldVisitRequired: false } }].map((e) =>
      e.type === 'RegistrationDraftSaved'
        ? {
            ...e,
            data: { ...e.data, application: application({ declaredIndicators: { ...POOR, monthlyIncomeMillions: 6.88 } }) },
          }
        : e,
    ) as RegistrationEvent[],
    when: cmd('assessEligibility', 'dinsos', { model: MODEL }),
    then: ['EligibilityAssessed'],
    state: 'VERIFIKASI_LAPANGAN',
  },
  'proposeOverride/done': {
    given: history.assessed(WELL_OFF),
    when: cmd('proposeOverride', 'dinsos', { outcome: 'layak', reason: 'Kepala keluarga baru meninggal', evidence: EVIDENCE }),
    then: ['EligibilityOverrideProposed'],
    state: 'MENUNGGU_PERSETUJUAN_OVERRIDE',
  },
  'decideOverride/layak': {
    given: history.overridePending(),
    when: cmd('decideOverride', 'dinsos', { approve: true, reason: 'Sesuai bukti' }, actor('dinsos', 'dinsos-2')),
    then: ['EligibilityOverrideDecided'],
    state: 'MENUNGGU_MUSDES',
  },
  'decideOverride/tidak_layak': {
    given: history.overridePending(),
    when: cmd('decideOverride', 'dinsos', { approve: false, reason: 'Bukti tidak cukup' }, actor('dinsos', 'dinsos-2')),
    then: ['EligibilityOverrideDecided'],
    state: 'TIDAK_LAYAK',
  },
  'decideMusdes/approved': {
    given: history.musdes(),
    when: cmd('decideMusdes', 'operator_desa', { approve: true, evidence: EVIDENCE }),
    then: ['ApprovalDecided'],
    state: 'MENUNGGU_KABUPATEN',
  },
  'decideMusdes/rejected': {
    given: history.musdes(),
    when: cmd('decideMusdes', 'operator_desa', { approve: false, reason: 'Musdes: mampu', evidence: EVIDENCE }),
    then: ['ApprovalDecided'],
    state: 'DITOLAK',
  },
  'decideRegency/approved': {
    given: history.kabupaten(),
    when: cmd('decideRegency', 'dinsos', { approve: true }),
    then: ['ApprovalDecided'],
    state: 'MENUNGGU_PROVINSI',
  },
  'decideRegency/rejected': {
    given: history.kabupaten(),
    when: cmd('decideRegency', 'dinsos', { approve: false, reason: 'Data ganda' }),
    then: ['ApprovalDecided'],
    state: 'DITOLAK',
  },
  'decideProvince/approved': {
    given: history.provinsi(),
    when: cmd('decideProvince', 'verifikator_provinsi', { approve: true }),
    then: ['ApprovalDecided'],
    state: 'MENUNGGU_PENETAPAN',
  },
  'decideProvince/rejected': {
    given: history.provinsi(),
    when: cmd('decideProvince', 'verifikator_provinsi', { approve: false, reason: 'Kuota' }),
    then: ['ApprovalDecided'],
    state: 'DITOLAK',
  },
  'establish/approved': {
    given: history.penetapan(),
    when: cmd('establish', 'kemensos', { approve: true, householdId: '33333333-3333-4333-8333-333333333333' }),
    then: ['RegistrationEstablished'],
    state: 'DITETAPKAN',
  },
  'establish/rejected': {
    given: history.penetapan(),
    when: cmd('establish', 'kemensos', { approve: false, householdId: 'x', reason: 'Tidak memenuhi syarat' }),
    then: ['ApprovalDecided'],
    state: 'DITOLAK',
  },
  'reopenAfterAppeal/done': {
    given: history.assessed(WELL_OFF),
    when: cmd('reopenAfterAppeal', 'dinsos', { appealId: 'b-1', reason: 'Banding dikabulkan' }),
    then: ['RegistrationReopenedByAppeal'],
    state: 'VERIFIKASI_LAPANGAN',
  },
  ...Object.fromEntries(
    (['musdes', 'kabupaten', 'provinsi'] as const).map((level, i) => [
      `revertBatchDecision/${level}`,
      {
        given: [
          ...[history.musdes, history.kabupaten, history.provinsi][i](),
          { type: 'ApprovalDecided', data: { level, approved: true, batchId: 'batch-1' } },
        ],
        when: cmd('revertBatchDecision', 'admin', { revertedBatchId: 'batch-1', reason: 'Batch keliru' }),
        then: ['BatchDecisionReverted'],
        state: (['MENUNGGU_MUSDES', 'MENUNGGU_KABUPATEN', 'MENUNGGU_PROVINSI'] as const)[i],
      } satisfies Scenario,
    ]),
  ),
  'withdraw/done': {
    given: history.draft(),
    when: cmd('withdraw', 'operator_desa', { reason: 'Pindah domisili' }),
    then: ['RegistrationWithdrawn'],
    state: 'DIBATALKAN',
  },
};

describe('registration decider: every transition of the verval state machine', () => {
  it('has a scenario for every row of the table', () => {
    const rows = VERVAL_TRANSITIONS.map((t) => `${t.action}/${t.outcome}`);
    expect(Object.keys(SCENARIOS).sort()).toEqual([...new Set(rows)].sort());
  });

  it.each(Object.entries(SCENARIOS))('%s', (_row, s) => {
    spec
      .given(s.given)
      .when(s.when)
      .then(s.then.map((type) => ({ type })));
    expect(spec.given(s.given).when(s.when).thenState().status).toBe(s.state);
  });
});

describe('registration decider: what it refuses', () => {
  it('a batch approval is reverted only while nothing has followed it, and only the batch named', () => {
    const approvedInBatch: RegistrationEvent[] = [
      ...history.musdes(),
      { type: 'ApprovalDecided', data: { level: 'musdes', approved: true, batchId: 'batch-1' } },
    ];
    const revert = (batchId: string) => cmd('revertBatchDecision', 'admin', { revertedBatchId: batchId, reason: 'Batch keliru' });
    spec.given(approvedInBatch).when(revert('batch-2')).thenRejects('BATCH_SUPERSEDED', 'conflict');
    spec
      .given([...approvedInBatch, { type: 'ApprovalDecided', data: { level: 'kabupaten', approved: true } }])
      .when(revert('batch-1'))
      .thenRejects('BATCH_SUPERSEDED', 'conflict');
    spec
      .given([...history.musdes(), { type: 'ApprovalDecided', data: { level: 'musdes', approved: true } }])
      .when(revert('batch-1'))
      .thenRejects('BATCH_SUPERSEDED', 'conflict');
    spec
      .given(approvedInBatch)
      .when(cmd('revertBatchDecision', 'dinsos', { revertedBatchId: 'batch-1', reason: 'x' }))
      .thenRejects('ROLE_NOT_ALLOWED', 'forbidden');
    spec
      .given(approvedInBatch)
      .when(cmd('revertBatchDecision', 'admin', { revertedBatchId: 'batch-1' }))
      .thenRejects('REASON_REQUIRED', 'rule');
  });

  const submit = (f = facts()) =>
    cmd('submit', 'operator_desa', { registrationNumber: 'REG-3204102001-261124-ABCDEF', facts: f });

  it('a command on a case that does not exist: CASE_NOT_FOUND (404)', () => {
    spec.given([]).when(submit()).thenRejects('CASE_NOT_FOUND', 'not_found');
  });

  it('an action the current state does not allow: TRANSITION_NOT_ALLOWED (409), e.g. approval before assessment', () => {
    spec
      .given(history.validasi())
      .when(cmd('decideRegency', 'dinsos', { approve: true }))
      .thenRejects('TRANSITION_NOT_ALLOWED', 'conflict');
    spec
      .given(history.ditetapkan())
      .when(cmd('withdraw', 'operator_desa', { reason: 'x' }))
      .thenRejects('TRANSITION_NOT_ALLOWED', 'conflict');
  });

  it('a higher level cannot decide before the lower one: province before regency is refused', () => {
    spec
      .given(history.kabupaten())
      .when(cmd('decideProvince', 'verifikator_provinsi', { approve: false, reason: 'x' }))
      .thenRejects('TRANSITION_NOT_ALLOWED');
  });

  it('a role the table does not allow: ROLE_NOT_ALLOWED (403)', () => {
    spec
      .given(history.penetapan())
      .when(cmd('establish', 'dinsos', { approve: true, householdId: 'h' }))
      .thenRejects('ROLE_NOT_ALLOWED', 'forbidden');
    spec
      .given(history.validasi())
      .when(cmd('validate', 'auditor', { valid: true, fieldVisitRequired: false }))
      .thenRejects('ROLE_NOT_ALLOWED', 'forbidden');
  });

  it('a staff member outside the case region: OUTSIDE_REGION (403), checked before the state', () => {
    const elsewhere = actor('operator_desa', 'op-2', OTHER_VILLAGE);
    spec
      .given(history.validasi())
      .when(cmd('validate', 'operator_desa', { valid: true, fieldVisitRequired: false }, elsewhere))
      .thenRejects('OUTSIDE_REGION', 'forbidden');
    spec
      .given(history.ditetapkan())
      .when(cmd('withdraw', 'operator_desa', { reason: 'x' }, elsewhere))
      .thenRejects('OUTSIDE_REGION', 'forbidden');
  });

  it('an applicant without the case token: APPLICANT_TOKEN (403); with it, the applicant may act', () => {
    const pemohon = (hash?: string) => ({
      ...cmd('submit', 'pemohon', { registrationNumber: 'REG-3204102001-261124-ABCDEF', facts: facts() }),
      applicantTokenHash: hash,
    });
    spec
      .given(history.onlineDraft())
      .when(pemohon('b'.repeat(64)))
      .thenRejects('APPLICANT_TOKEN', 'forbidden');
    spec.given(history.draft()).when(pemohon(TOKEN_HASH)).thenRejects('APPLICANT_TOKEN', 'forbidden');
    spec
      .given(history.onlineDraft())
      .when(pemohon(TOKEN_HASH))
      .then([{ type: 'RegistrationSubmitted' }, { type: 'AutomaticChecksPassed' }]);
  });

  it('a citizen may self-register (ONLINE) or propose a neighbour (USUL_WARGA); nothing else', () => {
    spec
      .given([])
      .when(cmd('saveDraft', 'pemohon', { caseId: CASE_ID, channel: 'USUL_WARGA', application: application() }))
      .then([{ type: 'RegistrationDraftSaved' }]);
    spec
      .given([])
      .when(cmd('saveDraft', 'pendamping', { caseId: CASE_ID, channel: 'USUL_WARGA', application: application() }))
      .then([{ type: 'RegistrationDraftSaved' }]);
  });

  it('the ONLINE channel belongs to the applicant, the others to staff: CHANNEL_ROLE', () => {
    spec
      .given([])
      .when(cmd('saveDraft', 'operator_desa', { caseId: CASE_ID, channel: 'ONLINE', application: application() }))
      .thenRejects('CHANNEL_ROLE', 'rule');
    spec
      .given([])
      .when(cmd('saveDraft', 'pemohon', { caseId: CASE_ID, channel: 'KANTOR_DESA', application: application() }))
      .thenRejects('CHANNEL_ROLE', 'rule');
  });

  it('the channel cannot change, nor the village once submitted', () => {
    spec
      .given(history.draft())
      .when(cmd('saveDraft', 'operator_desa', { caseId: CASE_ID, channel: 'PENDAMPING', application: application() }))
      .thenRejects('CHANNEL_FIXED');
    const moved = cmd(
      'saveDraft',
      'operator_desa',
      { caseId: CASE_ID, channel: 'KANTOR_DESA', application: application({ villageCode: '32.04.10.2002' }) },
      actor('operator_desa', 'op', '32.04.10'),
    );
    spec.given(history.perluPerbaikan()).when(moved).thenRejects('VILLAGE_FIXED');
  });

  it('a reason where the table requires one: REASON_REQUIRED (422)', () => {
    spec
      .given(history.musdes())
      .when(cmd('decideMusdes', 'operator_desa', { approve: false, evidence: EVIDENCE }))
      .thenRejects('REASON_REQUIRED', 'rule');
    spec
      .given(history.draft())
      .when(cmd('withdraw', 'operator_desa', { reason: '   ' }))
      .thenRejects('REASON_REQUIRED');
    spec
      .given(history.pemeriksaanDokumen(false))
      .when(cmd('checkDocuments', 'operator_desa', { complete: false }))
      .thenRejects('REASON_REQUIRED');
  });

  it('evidence where the table requires it: EVIDENCE_REQUIRED (422)', () => {
    spec
      .given(history.musdes())
      .when(cmd('decideMusdes', 'operator_desa', { approve: true }))
      .thenRejects('EVIDENCE_REQUIRED', 'rule');
    spec
      .given(history.verifikasiLapangan())
      .when(cmd('recordFieldVerification', 'pendamping', { visitedOn: '2026-11-20', indicators: POOR }))
      .thenRejects('EVIDENCE_REQUIRED');
    spec
      .given(history.assessed(WELL_OFF))
      .when(cmd('proposeOverride', 'dinsos', { outcome: 'layak', reason: 'x' }))
      .thenRejects('EVIDENCE_REQUIRED');
  });

  it('documents marked complete while some are missing: DOCUMENTS_MISSING, naming each', () => {
    const r = spec
      .given(history.pemeriksaanDokumen(false))
      .when(cmd('checkDocuments', 'operator_desa', { complete: true }))
      .thenRejects('DOCUMENTS_MISSING', 'rule');
    expect((r.details as Array<{ kind: string }>).map((d) => d.kind)).toEqual([
      'KTP',
      'KK',
      'AKTA_KELAHIRAN',
      'BUKTI_PENGHASILAN',
      'FOTO_RUMAH',
    ]);
  });

  it('a document for a member that does not exist: MEMBER_INDEX', () => {
    spec
      .given(history.draft())
      .when(cmd('attachDocument', 'operator_desa', { document: { ...ALL_DOCUMENTS[0], memberIndex: 7 } }))
      .thenRejects('MEMBER_INDEX');
  });

  it('field visit indicators incomplete or a visit dated in the future', () => {
    const { earthFloor: _, ...partial } = POOR;
    spec
      .given(history.verifikasiLapangan())
      .when(
        cmd('recordFieldVerification', 'pendamping', {
          visitedOn: '2026-11-20',
          indicators: partial as typeof POOR,
          evidence: EVIDENCE,
        }),
      )
      .thenRejects('INDICATORS_INVALID');
    spec
      .given(history.verifikasiLapangan())
      .when(cmd('recordFieldVerification', 'pendamping', { visitedOn: '2026-12-01', indicators: POOR, evidence: EVIDENCE }))
      .thenRejects('VISIT_IN_FUTURE');
  });

  it('four-eyes: the proposer of an override cannot decide it (FOUR_EYES)', () => {
    spec
      .given(history.overridePending('dinsos-1'))
      .when(cmd('decideOverride', 'dinsos', { approve: true, reason: 'ok' }, actor('dinsos', 'dinsos-1')))
      .thenRejects('FOUR_EYES', 'rule');
  });

  it('an override must change the outcome (OVERRIDE_SAME_OUTCOME)', () => {
    spec
      .given(history.assessed(WELL_OFF))
      .when(cmd('proposeOverride', 'dinsos', { outcome: 'tidak_layak', reason: 'x', evidence: EVIDENCE }))
      .thenRejects('OVERRIDE_SAME_OUTCOME');
  });
});

describe('registration decider: automatic checks at submit', () => {
  const reasonsFor = (events: RegistrationEvent[], f = facts()): string[] => {
    const result = spec
      .given(events)
      .when(cmd('submit', 'pendamping', { registrationNumber: 'REG-3204102001-261124-ABCDEF', facts: f }))
      .then([{ type: 'RegistrationSubmitted' }, { type: 'AutomaticChecksFailed' }]);
    return (result[1] as Extract<RegistrationEvent, { type: 'AutomaticChecksFailed' }>).data.reasons.map((r) => r.code);
  };
  const app = application();
  const withMember = (i: number, change: object) =>
    application({ members: app.members.map((m, j) => (j === i ? { ...m, ...change } : m)) });

  it('format: unknown village, bad KK, bad NIK, NIK not matching birth date/sex, one head, repeated NIK', () => {
    expect(reasonsFor(history.draft(application({ villageCode: '32.04.10.9999' })))).toContain('VILLAGE_UNKNOWN');
    expect(reasonsFor(history.draft(application({ kkNumber: '3204104413200001' })))).toContain('KK_ISSUE_DATE');
    expect(reasonsFor(history.draft(withMember(1, { nik: '9904104507880002' })))).toContain('NIK_DISTRICT');
    expect(reasonsFor(history.draft(withMember(1, { sex: 'L' })))).toContain('NIK_MISMATCH');
    expect(reasonsFor(history.draft(withMember(1, { relation: 'KEPALA_KELUARGA' })))).toContain('HEAD_COUNT');
    expect(reasonsFor(history.draft(withMember(1, { nik: app.members[0].nik })))).toContain('NIK_REPEATED');
  });

  it('who may register: the head must be 17 or married', () => {
    const young = application({
      members: [
        {
          nik: '3204101505100007',
          fullName: 'Anak Muda',
          birthDate: '2010-05-15',
          sex: 'L',
          relation: 'KEPALA_KELUARGA',
          maritalStatus: 'BELUM_KAWIN',
        },
      ],
    });
    expect(reasonsFor(history.draft(young), facts(young))).toContain('HEAD_TOO_YOUNG');
  });

  it('the questionnaire must be complete', () => {
    expect(reasonsFor(history.draft(application({ declaredIndicators: { earthFloor: 1 } })))).toContain('INDICATORS_INCOMPLETE');
  });

  it('population registry: NIK unknown, name, birth date or family card differ', () => {
    const f = facts();
    const record = f.population[app.members[1].nik]!;
    expect(reasonsFor(history.draft(), { ...f, population: { ...f.population, [app.members[1].nik]: undefined } })).toEqual([
      'DUKCAPIL_NOT_FOUND',
    ]);
    expect(
      reasonsFor(history.draft(), {
        ...f,
        population: { ...f.population, [app.members[1].nik]: { ...record, fullName: 'SITI AMINAH BINTI X' } },
      }),
    ).toEqual(['DUKCAPIL_NAME']);
    expect(
      reasonsFor(history.draft(), {
        ...f,
        population: { ...f.population, [app.members[1].nik]: { ...record, birthDate: '1988-07-06' } },
      }),
    ).toEqual(['DUKCAPIL_BIRTH_DATE']);
    expect(
      reasonsFor(history.draft(), {
        ...f,
        population: { ...f.population, [app.members[1].nik]: { ...record, kkNumber: '3204100101200009' } },
      }),
    ).toEqual(['DUKCAPIL_KK']);
  });

  it('names match as Dukcapil writes them (case, spaces, punctuation)', () => {
    const spaced = withMember(0, { fullName: '  budi   santoso ' });
    spec
      .given(history.draft(spaced))
      .when(cmd('submit', 'operator_desa', { registrationNumber: 'REG-3204102001-261124-ABCDEF', facts: facts() }))
      .then([{ type: 'RegistrationSubmitted' }, { type: 'AutomaticChecksPassed' }]);
  });

  it('duplicates (ganda): a NIK held by a household or by another open case', () => {
    const nik = app.members[2].nik;
    expect(reasonsFor(history.draft(), facts(app, { nikHolders: { [nik]: 'household-9' } }))).toEqual(['GANDA_HOUSEHOLD']);
    expect(reasonsFor(history.draft(), facts(app, { nikHolders: { [nik]: 'registration-other' } }))).toEqual(['GANDA_CASE']);
  });

  it('a NIK held by this very case is not a duplicate (resubmission after correction)', () => {
    const nik = app.members[0].nik;
    spec
      .given(history.perluPerbaikan())
      .when(
        cmd('submit', 'operator_desa', {
          registrationNumber: 'REG-X',
          facts: facts(app, { nikHolders: { [nik]: `registration-${CASE_ID}` } }),
        }),
      )
      .then([{ type: 'AutomaticChecksPassed' }]);
  });

  it('messages name the member by position, never by NIK or name', () => {
    const f = facts();
    const result = spec
      .given(history.draft(withMember(1, { nik: '9904104507880002' })))
      .when(cmd('submit', 'operator_desa', { registrationNumber: 'R', facts: f }))
      .then([{ type: 'RegistrationSubmitted' }, { type: 'AutomaticChecksFailed' }]);
    const text = JSON.stringify(result[1]);
    for (const m of app.members) {
      expect(text).not.toContain(m.nik);
      expect(text).not.toContain(m.fullName);
    }
  });
});

describe('registration decider: what the state keeps', () => {
  it('the registration number is given once and kept on resubmission', () => {
    const state = spec
      .given(history.perluPerbaikan())
      .when(cmd('submit', 'operator_desa', { registrationNumber: 'REG-NEW', facts: facts() }))
      .thenState();
    expect(state.registrationNumber).toBe('REG-3204102001-261124-ABCDEF');
  });

  it('claims the members’ NIKs when checks pass and gives them up when the case closes without a household', () => {
    const passed = spec
      .given(history.draft())
      .when(cmd('submit', 'operator_desa', { registrationNumber: 'R', facts: facts() }))
      .thenState();
    expect(passed.claimedNiks).toEqual(application().members.map((m) => m.nik));
    const rejected = spec
      .given(history.kabupaten())
      .when(cmd('decideRegency', 'dinsos', { approve: false, reason: 'x' }))
      .thenState();
    expect(rejected.claimedNiks).toEqual([]);
  });

  it('establishment records the PMT version and, after an approved override, both people', () => {
    const overridden: RegistrationEvent[] = [
      ...history.overridePending('dinsos-1'),
      {
        type: 'EligibilityOverrideDecided',
        data: { approved: true, outcome: 'layak', proposedBy: 'dinsos-1', decidedBy: 'dinsos-2' },
      },
      { type: 'ApprovalDecided', data: { level: 'musdes', approved: true } },
      { type: 'ApprovalDecided', data: { level: 'kabupaten', approved: true } },
      { type: 'ApprovalDecided', data: { level: 'provinsi', approved: true } },
    ];
    spec
      .given(overridden)
      .when(cmd('establish', 'kemensos', { approve: true, householdId: 'h-1' }))
      .then([
        {
          type: 'RegistrationEstablished',
          data: expect.objectContaining({
            pmtVersion: MODEL.version,
            override: { proposedBy: 'dinsos-1', approvedBy: 'dinsos-2' },
          }),
        },
      ]);
  });

  it('time comes from the command: the decider reads no clock', () => {
    const late = { ...cmd('checkDocuments', 'operator_desa', { complete: true }), at: '2034-01-01T00:00:00Z' };
    // Ten years on, the 2015 child is no longer under 17: no birth certificate is required.
    const events = history.pemeriksaanDokumen(false);
    const withoutBirthCertificate = ALL_DOCUMENTS.filter((d) => d.kind !== 'AKTA_KELAHIRAN').map((document) => ({
      type: 'RegistrationDocumentAttached' as const,
      data: { document },
    }));
    spec
      .given([...events, ...withoutBirthCertificate])
      .when(late)
      .then([{ type: 'DocumentsFoundComplete' }]);
    spec
      .given([...events, ...withoutBirthCertificate])
      .when({ ...late, at: AT })
      .thenRejects('DOCUMENTS_MISSING');
  });
});
