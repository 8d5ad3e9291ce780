import { indicatorProblems } from '../eligibility/indicators';
import { checkKk, checkNik } from '../reference/identifiers';
import { BilingualText } from '../shared/decider';
import { ageOn, Application, headOf, Member, normaliseName } from './application';

/** A population-registry (Dukcapil) record for one NIK, as imported from the extract. */
export interface PopulationRecord {
  readonly kkNumber: string;
  readonly fullName: string;
  readonly birthDate: string;
  readonly sex: 'L' | 'P';
  readonly villageCode?: string;
}

/** What the automatic checks need from outside the case, gathered by the command handler. */
export interface AutomaticCheckFacts {
  /** YYYY-MM-DD */
  readonly today: string;
  readonly districtExists: (code: string) => boolean;
  readonly villageExists: (code: string) => boolean;
  /** The Dukcapil record of each member's NIK; absent when the extract has none. */
  readonly population: Readonly<Record<string, PopulationRecord | undefined>>;
  /** Which stream holds each member's NIK now (a household or another open case); absent when free. */
  readonly nikHolders: Readonly<Record<string, string | undefined>>;
}

/** Why a registration needs correction. Never contains the NIK or a name: it is shown and logged. */
export interface CorrectionReason {
  readonly code: string;
  readonly field: string;
  readonly message: BilingualText;
}

const reason = (code: string, field: string, id: string, en: string): CorrectionReason => ({ code, field, message: { id, en } });

/**
 * The automatic checks at submit, in the domain brief's order: format, the population registry,
 * duplicates. Returns every reason found, so the applicant can fix them in one go.
 */
export function automaticCheckReasons(
  application: Application,
  caseStreamId: string,
  facts: AutomaticCheckFacts,
): CorrectionReason[] {
  return [
    ...formatReasons(application, facts),
    ...populationReasons(application, facts),
    ...duplicateReasons(application, caseStreamId, facts),
  ];
}

function formatReasons(app: Application, facts: AutomaticCheckFacts): CorrectionReason[] {
  const ctx = { districtExists: facts.districtExists, today: facts.today };
  const reasons: CorrectionReason[] = [];
  if (!facts.villageExists(app.villageCode))
    reasons.push(reason('VILLAGE_UNKNOWN', 'villageCode', 'Kode desa/kelurahan tidak dikenal', 'Unknown village code'));
  const kk = checkKk(app.kkNumber, ctx);
  if (!kk.valid) reasons.push(...kk.problems.map((p) => ({ code: p.code, field: 'kkNumber', message: p.message })));
  if (app.members.length === 0)
    reasons.push(reason('NO_MEMBERS', 'members', 'Anggota keluarga belum diisi', 'No household members'));
  const heads = app.members.filter((m) => m.relation === 'KEPALA_KELUARGA').length;
  if (heads !== 1)
    reasons.push(
      reason('HEAD_COUNT', 'members', 'Harus ada tepat satu kepala keluarga', 'There must be exactly one head of household'),
    );
  const seen = new Set<string>();
  app.members.forEach((m, i) => {
    const field = `members[${i}].nik`;
    if (seen.has(m.nik))
      reasons.push(
        reason('NIK_REPEATED', field, `NIK anggota #${i + 1} tercantum dua kali`, `Member #${i + 1}'s NIK is listed twice`),
      );
    seen.add(m.nik);
    const nik = checkNik(m.nik, ctx);
    if (!nik.valid) {
      reasons.push(
        ...nik.problems.map((p) => ({
          code: p.code,
          field,
          message: { id: `Anggota #${i + 1}: ${p.message.id}`, en: `Member #${i + 1}: ${p.message.en}` },
        })),
      );
    } else if (nik.value.birthDate !== m.birthDate || nik.value.sex !== m.sex) {
      reasons.push(
        reason(
          'NIK_MISMATCH',
          field,
          `Anggota #${i + 1}: tanggal lahir/jenis kelamin tidak sesuai NIK`,
          `Member #${i + 1}: birth date or sex does not match the NIK`,
        ),
      );
    }
  });
  const head = headOf(app);
  if (head && ageOn(head.birthDate, facts.today) < 17 && head.maritalStatus === 'BELUM_KAWIN') {
    reasons.push(
      reason(
        'HEAD_TOO_YOUNG',
        'members',
        'Pendaftar harus berusia minimal 17 tahun atau sudah menikah',
        'The applicant must be at least 17 or married',
      ),
    );
  }
  if (indicatorProblems(app.declaredIndicators).length > 0) {
    reasons.push(
      reason(
        'INDICATORS_INCOMPLETE',
        'declaredIndicators',
        'Kuesioner kondisi rumah dan aset belum lengkap',
        'The housing and assets questionnaire is incomplete',
      ),
    );
  }
  return reasons;
}

/** What must agree with the population registry, and how each disagreement is told. */
const POPULATION_MATCHES: ReadonlyArray<{
  code: string;
  differs: (r: PopulationRecord, m: Member, app: Application) => boolean;
  id: string;
  en: string;
}> = [
  {
    code: 'DUKCAPIL_NAME',
    differs: (r, m) => normaliseName(r.fullName) !== normaliseName(m.fullName),
    id: 'nama tidak sesuai data Dukcapil',
    en: 'name differs from the population registry',
  },
  {
    code: 'DUKCAPIL_BIRTH_DATE',
    differs: (r, m) => r.birthDate !== m.birthDate,
    id: 'tanggal lahir tidak sesuai data Dukcapil',
    en: 'birth date differs from the population registry',
  },
  {
    code: 'DUKCAPIL_KK',
    differs: (r, _m, app) => r.kkNumber !== app.kkNumber,
    id: 'tidak tercatat dalam KK ini di Dukcapil',
    en: 'not on this family card in the population registry',
  },
];

function populationReasons(app: Application, facts: AutomaticCheckFacts): CorrectionReason[] {
  return app.members.flatMap((m, i) => {
    const field = `members[${i}]`;
    const record = facts.population[m.nik];
    if (!record) {
      return [
        reason(
          'DUKCAPIL_NOT_FOUND',
          field,
          `Anggota #${i + 1}: NIK tidak ditemukan di data Dukcapil`,
          `Member #${i + 1}: NIK not found in the population registry`,
        ),
      ];
    }
    return POPULATION_MATCHES.filter((check) => check.differs(record, m, app)).map((check) =>
      reason(check.code, field, `Anggota #${i + 1}: ${check.id}`, `Member #${i + 1}: ${check.en}`),
    );
  });
}

function duplicateReasons(app: Application, caseStreamId: string, facts: AutomaticCheckFacts): CorrectionReason[] {
  const reasons: CorrectionReason[] = [];
  app.members.forEach((m, i) => {
    const holder = facts.nikHolders[m.nik];
    if (!holder || holder === caseStreamId) return;
    reasons.push(
      holder.startsWith('household-')
        ? reason(
            'GANDA_HOUSEHOLD',
            `members[${i}].nik`,
            `Anggota #${i + 1} sudah terdaftar dalam rumah tangga lain (ganda)`,
            `Member #${i + 1} is already in a registered household (duplicate)`,
          )
        : reason(
            'GANDA_CASE',
            `members[${i}].nik`,
            `Anggota #${i + 1} sudah ada dalam pendaftaran lain yang sedang diproses (ganda)`,
            `Member #${i + 1} is already in another open registration (duplicate)`,
          ),
    );
  });
  return reasons;
}
