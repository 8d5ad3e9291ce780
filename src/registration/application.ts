import { ERASED } from '../event-store/crypto-shredding';
import { IndicatorName } from '../eligibility/indicators';

export const CHANNELS = ['ONLINE', 'KANTOR_DESA', 'PENDAMPING', 'USUL_WARGA'] as const;
/** ONLINE self-registration, at the village office, through a social worker, a neighbour's proposal (usul). */
export type Channel = (typeof CHANNELS)[number];

export const RELATIONS = [
  'KEPALA_KELUARGA',
  'SUAMI',
  'ISTRI',
  'ANAK',
  'MENANTU',
  'CUCU',
  'ORANG_TUA',
  'FAMILI_LAIN',
  'LAINNYA',
] as const;
export type Relation = (typeof RELATIONS)[number];
export const MARITAL_STATUSES = ['BELUM_KAWIN', 'KAWIN', 'CERAI_HIDUP', 'CERAI_MATI'] as const;
export type MaritalStatus = (typeof MARITAL_STATUSES)[number];

export interface Member {
  readonly nik: string;
  readonly fullName: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly sex: 'L' | 'P';
  readonly relation: Relation;
  readonly maritalStatus: MaritalStatus;
  /** Program conditions (PKH, disability aid); absent means no. */
  readonly pregnant?: boolean;
  readonly severeDisability?: boolean;
}

/** What the applicant declares: the household as on the KK, where it lives, how to reach it. */
export interface Application {
  readonly villageCode: string;
  readonly kkNumber: string;
  readonly address: string;
  readonly contact: { readonly phone?: string; readonly email?: string };
  readonly members: readonly Member[];
  /** The applicant's own answers to the PMT questions; a field visit replaces them. */
  readonly declaredIndicators: Partial<Record<IndicatorName, number>>;
  /** For a neighbour's proposal (usul): who proposed, kept apart from the household's data. */
  readonly proposer?: { readonly fullName: string; readonly phone?: string };
}

/**
 * A member whose personal data was erased (crypto-shredded): every text reads ERASED, so pages and
 * projections that format a member keep working; nothing about the person remains.
 */
export const ERASED_MEMBER: Member = {
  nik: ERASED,
  fullName: ERASED,
  birthDate: ERASED,
  sex: ERASED as Member['sex'],
  relation: ERASED as Relation,
  maritalStatus: ERASED as MaritalStatus,
};

/** Whole years between a birth date and a day, both YYYY-MM-DD. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

export function headOf(application: Application): Member | undefined {
  return application.members.find((m) => m.relation === 'KEPALA_KELUARGA');
}

/** Names compared as Dukcapil writes them: upper case, single spaces, no punctuation. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
