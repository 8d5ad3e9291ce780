import { DtsenClass } from '../eligibility/pmt';
import { ageOn, Member } from '../registration/application';
import { BilingualText } from '../shared/decider';

/** Household composition conditions a program may ask for (any one of them suffices). */
export const COMPOSITION = {
  pregnant: { id: 'ada ibu hamil', en: 'a pregnant member' },
  childUnder6: { id: 'ada anak usia dini (< 6 tahun)', en: 'a child under 6' },
  schoolAge: { id: 'ada anak usia sekolah (6–21 tahun)', en: 'a school-age child (6–21)' },
  elder70: { id: 'ada lansia 70 tahun ke atas', en: 'an elder aged 70 or more' },
  severeDisability: { id: 'ada penyandang disabilitas berat', en: 'a member with severe disability' },
  elder60: { id: 'ada lansia 60 tahun ke atas', en: 'an elder aged 60 or more' },
} as const satisfies Record<string, BilingualText>;
export type CompositionCondition = keyof typeof COMPOSITION;

/**
 * One version of a program's rules: who is eligible, and the period it counts in. A change is a
 * new file with a new version; events record the version that decided.
 */
export interface ProgramRule {
  readonly code: string;
  readonly version: string;
  readonly effectiveFrom: string;
  readonly name: BilingualText;
  readonly maxDesil: number;
  readonly classes: readonly DtsenClass[];
  /** Empty: no composition condition. Otherwise at least one must hold. */
  readonly anyOf: readonly CompositionCondition[];
}

/** What the rules look at: the household as the registry holds it. */
export interface HouseholdProfile {
  readonly householdId: string;
  readonly villageCode: string;
  readonly active: boolean;
  readonly desil: number;
  readonly classification: string;
  readonly establishedOn: string;
  readonly members: ReadonlyArray<Member & { readonly deceased?: boolean }>;
}

const CONDITION_HOLDS: Record<CompositionCondition, (m: Member, today: string) => boolean> = {
  pregnant: (m) => m.pregnant === true,
  childUnder6: (m, today) => ageOn(m.birthDate, today) < 6,
  schoolAge: (m, today) => ageOn(m.birthDate, today) >= 6 && ageOn(m.birthDate, today) <= 21,
  elder70: (m, today) => ageOn(m.birthDate, today) >= 70,
  elder60: (m, today) => ageOn(m.birthDate, today) >= 60,
  severeDisability: (m) => m.severeDisability === true,
};

export interface Eligibility {
  readonly eligible: boolean;
  /** Why not, when not (codes with messages); empty when eligible. */
  readonly reasons: ReadonlyArray<{ code: string; message: BilingualText }>;
}

/** Whether a household meets a program's rules on a day. Pure. */
export function programEligibility(rule: ProgramRule, h: HouseholdProfile, today: string): Eligibility {
  const reasons: Array<{ code: string; message: BilingualText }> = [];
  if (!h.active)
    reasons.push({
      code: 'HOUSEHOLD_INACTIVE',
      message: { id: 'Rumah tangga tidak aktif di DTSEN', en: 'The household is not active in the registry' },
    });
  if (h.desil > rule.maxDesil)
    reasons.push({
      code: 'DESIL_TOO_HIGH',
      message: { id: `Desil ${h.desil} di atas batas ${rule.maxDesil}`, en: `Desil ${h.desil} above the limit ${rule.maxDesil}` },
    });
  if (rule.classes.length > 0 && !rule.classes.includes(h.classification as DtsenClass)) {
    reasons.push({
      code: 'CLASS_NOT_COVERED',
      message: { id: 'Klasifikasi kesejahteraan tidak termasuk sasaran', en: 'The welfare class is not covered' },
    });
  }
  const living = h.members.filter((m) => !m.deceased);
  if (rule.anyOf.length > 0 && !rule.anyOf.some((c) => living.some((m) => CONDITION_HOLDS[c](m, today)))) {
    reasons.push({
      code: 'COMPOSITION',
      message: {
        id: `Tidak ada komponen: ${rule.anyOf.map((c) => COMPOSITION[c].id).join(', ')}`,
        en: `None of: ${rule.anyOf.map((c) => COMPOSITION[c].en).join(', ')}`,
      },
    });
  }
  return { eligible: reasons.length === 0, reasons };
}

/** Quarters: `2026-Q4`. Quotas and recipient lists are per region and period. */
export function periodOf(isoDate: string): string {
  return `${isoDate.slice(0, 4)}-Q${Math.floor((Number(isoDate.slice(5, 7)) - 1) / 3) + 1}`;
}

export function nextPeriod(period: string): string {
  const year = Number(period.slice(0, 4));
  const quarter = Number(period.slice(6));
  return quarter === 4 ? `${year + 1}-Q1` : `${year}-Q${quarter + 1}`;
}

/** Quotas are set per regency (kabupaten/kota): the first two levels of the village code. */
export const regencyOf = (villageCode: string): string => villageCode.slice(0, 5);
