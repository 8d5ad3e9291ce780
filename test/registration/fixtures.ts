import { Principal, Role } from '../../src/auth/roles';
import { IndicatorValues } from '../../src/eligibility/indicators';
import { assess } from '../../src/eligibility/pmt';
import { PmtModels } from '../../src/eligibility/pmt-models';
import { Application } from '../../src/registration/application';
import { AutomaticCheckFacts, PopulationRecord } from '../../src/registration/automatic-checks';
import { RegistrationCommand } from '../../src/registration/commands';
import { AttachedDocument } from '../../src/registration/documents';
import { RegistrationEvent } from '../../src/registration/events';

export const VILLAGE = '32.04.10.2001';
export const OTHER_VILLAGE = '32.73.01.1001';
export const AT = '2026-11-24T09:00:00.000Z';
export const TODAY = AT.slice(0, 10);
export const CASE_ID = '11111111-1111-4111-8111-111111111111';
export const TOKEN_HASH = 'a'.repeat(64);

const REGION_OF: Record<Role, string> = {
  pemohon: '-',
  operator_desa: VILLAGE,
  pendamping: '32.04.10',
  dinsos: '32.04',
  verifikator_provinsi: '32',
  kemensos: '',
  auditor: '',
  admin: '',
};

export function actor(role: Role, userId = `${role}-1`, region = REGION_OF[role]): Principal {
  return { userId, role, region };
}

export const POOR: IndicatorValues = {
  floorAreaPerPersonM2: 6,
  earthFloor: 1,
  poorWalls: 1,
  poorRoof: 0,
  noCleanWater: 1,
  noPrivateToilet: 1,
  electricityUnder900VA: 1,
  ownsCar: 0,
  ownsMotorcycle: 0,
  ownsLand: 0,
  livestockUnits: 0,
  savingsOver5Million: 0,
  headUnemployed: 1,
  monthlyIncomeMillions: 1,
  headNoSecondarySchool: 1,
};

export const WELL_OFF: IndicatorValues = {
  ...POOR,
  floorAreaPerPersonM2: 30,
  earthFloor: 0,
  poorWalls: 0,
  noCleanWater: 0,
  noPrivateToilet: 0,
  electricityUnder900VA: 0,
  ownsCar: 1,
  ownsMotorcycle: 1,
  ownsLand: 1,
  savingsOver5Million: 1,
  headUnemployed: 0,
  monthlyIncomeMillions: 12,
  headNoSecondarySchool: 0,
};

export const application = (overrides: Partial<Application> = {}): Application => ({
  villageCode: VILLAGE,
  kkNumber: '3204100101200001',
  address: 'Jl. Contoh No. 1, RT 01/RW 02',
  contact: { phone: '+6281234567890' },
  members: [
    {
      nik: '3204101203850001',
      fullName: 'Budi Santoso',
      birthDate: '1985-03-12',
      sex: 'L',
      relation: 'KEPALA_KELUARGA',
      maritalStatus: 'KAWIN',
    },
    {
      nik: '3204104507880002',
      fullName: 'Siti Aminah',
      birthDate: '1988-07-05',
      sex: 'P',
      relation: 'ISTRI',
      maritalStatus: 'KAWIN',
    },
    {
      nik: '3204102009150003',
      fullName: 'Rizky Pratama',
      birthDate: '2015-09-20',
      sex: 'L',
      relation: 'ANAK',
      maritalStatus: 'BELUM_KAWIN',
    },
  ],
  declaredIndicators: POOR,
  ...overrides,
});

export function population(app: Application): Record<string, PopulationRecord> {
  return Object.fromEntries(
    app.members.map((m) => [
      m.nik,
      { kkNumber: app.kkNumber, fullName: m.fullName.toUpperCase(), birthDate: m.birthDate, sex: m.sex },
    ]),
  );
}

export function facts(app: Application = application(), overrides: Partial<AutomaticCheckFacts> = {}): AutomaticCheckFacts {
  return {
    today: TODAY,
    districtExists: (code) => ['32.04.10', '32.73.01'].includes(code),
    villageExists: (code) => [VILLAGE, OTHER_VILLAGE].includes(code),
    population: population(app),
    nikHolders: {},
    ...overrides,
  };
}

export const MODEL = new PmtModels().current(TODAY);

export const ALL_DOCUMENTS: AttachedDocument[] = [
  { kind: 'KTP', sha256: '1'.repeat(64), mediaType: 'image/jpeg', sizeBytes: 1000, memberIndex: 0 },
  { kind: 'KK', sha256: '2'.repeat(64), mediaType: 'application/pdf', sizeBytes: 1000 },
  { kind: 'AKTA_KELAHIRAN', sha256: '3'.repeat(64), mediaType: 'application/pdf', sizeBytes: 1000, memberIndex: 2 },
  { kind: 'BUKTI_PENGHASILAN', sha256: '4'.repeat(64), mediaType: 'image/png', sizeBytes: 1000 },
  { kind: 'FOTO_RUMAH', sha256: '5'.repeat(64), mediaType: 'image/jpeg', sizeBytes: 1000 },
  { kind: 'FOTO_RUMAH', sha256: '6'.repeat(64), mediaType: 'image/jpeg', sizeBytes: 1000 },
];

export const EVIDENCE = [{ kind: 'document', sha256: '7'.repeat(64) }];

type Cmd<T extends RegistrationCommand['type']> = Omit<Extract<RegistrationCommand, { type: T }>, 'type' | 'actor' | 'at'>;

/** A command with a sensible actor and time; the fields given replace the defaults. */
export function cmd<T extends RegistrationCommand['type']>(
  type: T,
  role: Role,
  fields: Cmd<T>,
  who?: Principal,
): RegistrationCommand {
  return { type, actor: who ?? actor(role), at: AT, ...fields } as unknown as RegistrationCommand;
}

/** Histories that bring a case to each state along the main path. */
export const history = {
  draft: (app = application()): RegistrationEvent[] => [
    { type: 'RegistrationDraftSaved', data: { caseId: CASE_ID, channel: 'KANTOR_DESA', application: app } },
  ],
  onlineDraft: (): RegistrationEvent[] => [
    {
      type: 'RegistrationDraftSaved',
      data: { caseId: CASE_ID, channel: 'ONLINE', application: application(), applicantTokenHash: TOKEN_HASH },
    },
  ],
  perluPerbaikan: (): RegistrationEvent[] => [
    ...history.draft(),
    { type: 'RegistrationSubmitted', data: { registrationNumber: 'REG-3204102001-261124-ABCDEF' } },
    { type: 'AutomaticChecksFailed', data: { checkedOn: TODAY, reasons: [] } },
  ],
  pemeriksaanDokumen: (withDocuments = true): RegistrationEvent[] => [
    ...history.draft(),
    ...(withDocuments
      ? ALL_DOCUMENTS.map((document) => ({ type: 'RegistrationDocumentAttached' as const, data: { document } }))
      : []),
    { type: 'RegistrationSubmitted', data: { registrationNumber: 'REG-3204102001-261124-ABCDEF' } },
    { type: 'AutomaticChecksPassed', data: { checkedOn: TODAY } },
  ],
  dataTidakLengkap: (): RegistrationEvent[] => [
    ...history.pemeriksaanDokumen(false),
    { type: 'DocumentsFoundIncomplete', data: { missing: [] } },
  ],
  validasi: (): RegistrationEvent[] => [
    ...history.pemeriksaanDokumen(),
    { type: 'DocumentsFoundComplete', data: { documentCount: 6 } },
  ],
  verifikasiLapangan: (): RegistrationEvent[] => [
    ...history.validasi(),
    { type: 'RegistrationValidated', data: { fieldVisitRequired: true } },
  ],
  analisis: (indicators: IndicatorValues = POOR): RegistrationEvent[] => [
    ...history.verifikasiLapangan(),
    { type: 'FieldVerificationRecorded', data: { visitedOn: TODAY, indicators } },
  ],
  assessed: (indicators: IndicatorValues = POOR): RegistrationEvent[] => {
    const base = history.analisis(indicators);
    // The result as the decider computes it, so the history is consistent with the model.
    return [...base, { type: 'EligibilityAssessed', data: { result: assess(MODEL, indicators, 3, true) } }];
  },
  overridePending: (proposedBy = 'dinsos-1'): RegistrationEvent[] => [
    ...history.assessed(WELL_OFF),
    { type: 'EligibilityOverrideProposed', data: { proposedOutcome: 'layak', computedOutcome: 'tidak_layak', proposedBy } },
  ],
  musdes: (): RegistrationEvent[] => history.assessed(POOR),
  kabupaten: (): RegistrationEvent[] => [
    ...history.musdes(),
    { type: 'ApprovalDecided', data: { level: 'musdes', approved: true } },
  ],
  provinsi: (): RegistrationEvent[] => [
    ...history.kabupaten(),
    { type: 'ApprovalDecided', data: { level: 'kabupaten', approved: true } },
  ],
  penetapan: (): RegistrationEvent[] => [
    ...history.provinsi(),
    { type: 'ApprovalDecided', data: { level: 'provinsi', approved: true } },
  ],
  ditetapkan: (): RegistrationEvent[] => [
    ...history.penetapan(),
    {
      type: 'RegistrationEstablished',
      data: {
        householdId: '22222222-2222-4222-8222-222222222222',
        registrationNumber: 'REG-3204102001-261124-ABCDEF',
        desil: 1,
        classification: 'SANGAT_MISKIN',
        pmtVersion: MODEL.version,
      },
    },
  ],
};

/** A household as established in the registry, for tests that start after establishment. */
export function establishedHousehold(
  householdId: string,
  overrides: { desil?: number; classification?: string; registrationNumber?: string } = {},
) {
  const a = application();
  return {
    type: 'HouseholdEstablished',
    data: {
      householdId,
      registrationCaseId: `case-of-${householdId}`,
      registrationNumber: overrides.registrationNumber ?? 'R',
      kkNumber: a.kkNumber,
      villageCode: a.villageCode,
      address: a.address,
      members: a.members,
      desil: overrides.desil ?? 1,
      classification: overrides.classification ?? 'SANGAT_MISKIN',
      pmtVersion: '2026.1',
      status: 'AKTIF' as const,
      establishedOn: '2026-01-01',
    },
  };
}
