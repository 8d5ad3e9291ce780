import { BilingualText } from '../shared/decider';

/**
 * The proxy-means-test indicators of a household: housing, assets, employment and income,
 * household size, education of the head. Yes/no indicators are 0 or 1.
 */
export const INDICATORS = {
  floorAreaPerPersonM2: {
    kind: 'number',
    max: 1000,
    label: { id: 'Luas lantai per orang (m²)', en: 'Floor area per person (m²)' },
  },
  earthFloor: { kind: 'flag', label: { id: 'Lantai tanah', en: 'Earth floor' } },
  poorWalls: { kind: 'flag', label: { id: 'Dinding bambu/kayu murah', en: 'Bamboo or cheap wood walls' } },
  poorRoof: { kind: 'flag', label: { id: 'Atap ijuk/rumbia/seng rusak', en: 'Thatch or damaged roof' } },
  noCleanWater: { kind: 'flag', label: { id: 'Tanpa air minum layak', en: 'No safe drinking water' } },
  noPrivateToilet: { kind: 'flag', label: { id: 'Tanpa jamban sendiri', en: 'No private toilet' } },
  electricityUnder900VA: {
    kind: 'flag',
    label: { id: 'Listrik ≤ 900 VA atau tanpa listrik', en: 'Electricity ≤ 900 VA or none' },
  },
  ownsCar: { kind: 'flag', label: { id: 'Memiliki mobil', en: 'Owns a car' } },
  ownsMotorcycle: { kind: 'flag', label: { id: 'Memiliki sepeda motor', en: 'Owns a motorcycle' } },
  ownsLand: { kind: 'flag', label: { id: 'Memiliki lahan', en: 'Owns land' } },
  livestockUnits: { kind: 'number', max: 10000, label: { id: 'Jumlah ternak besar', en: 'Large livestock' } },
  savingsOver5Million: { kind: 'flag', label: { id: 'Tabungan > Rp5 juta', en: 'Savings over Rp 5 million' } },
  headUnemployed: { kind: 'flag', label: { id: 'Kepala keluarga tidak bekerja', en: 'Head of household not working' } },
  monthlyIncomeMillions: {
    kind: 'number',
    max: 10000,
    label: { id: 'Pendapatan per bulan (juta Rp)', en: 'Monthly income (million Rp)' },
  },
  headNoSecondarySchool: {
    kind: 'flag',
    label: { id: 'Kepala keluarga tidak tamat SMP', en: 'Head did not finish lower secondary' },
  },
} as const satisfies Record<string, { kind: 'number' | 'flag'; max?: number; label: BilingualText }>;

export type IndicatorName = keyof typeof INDICATORS;
export type IndicatorValues = Readonly<Record<IndicatorName, number>>;
export const INDICATOR_NAMES = Object.keys(INDICATORS) as IndicatorName[];

/** The problems with a set of indicator values (missing, not a number, out of range). */
export function indicatorProblems(values: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const name of INDICATOR_NAMES) {
    const v = values[name];
    const spec: { kind: string; max?: number } = INDICATORS[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${name}: required number`);
    else if (spec.kind === 'flag' && v !== 0 && v !== 1) problems.push(`${name}: must be 0 or 1`);
    else if (v < 0 || (spec.max !== undefined && v > spec.max)) problems.push(`${name}: out of range`);
  }
  for (const key of Object.keys(values)) if (!(key in INDICATORS)) problems.push(`${key}: unknown indicator`);
  return problems;
}
