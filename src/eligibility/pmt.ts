import { IndicatorName, IndicatorValues, INDICATOR_NAMES } from './indicators';

/** DTSEN's five classes. */
export const DTSEN_CLASSES = ['SANGAT_MISKIN', 'MISKIN', 'RENTAN_MISKIN', 'HAMPIR_MISKIN', 'TIDAK_MISKIN'] as const;
export type DtsenClass = (typeof DTSEN_CLASSES)[number];

/**
 * One version of the proxy-means test. The score estimates welfare (higher = better off); nine
 * ascending cut-points split it into desil 1..10. Never edited once used: a change is a new version.
 */
export interface PmtModel {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly description: string;
  readonly intercept: number;
  /** Per indicator; `householdSize` is the number of members. */
  readonly weights: Readonly<Record<IndicatorName | 'householdSize', number>>;
  readonly desilCutPoints: readonly number[];
  /** Classification of each desil, index 0 = desil 1. */
  readonly classification: readonly DtsenClass[];
  /** Desil up to which a household is Layak. */
  readonly eligibleUpToDesil: number;
  /** Scores this close to the eligibility cut-point need a field visit first (if none was made). */
  readonly borderlineMargin: number;
}

export type EligibilityOutcome = 'layak' | 'tidak_layak' | 'perlu_verifikasi_lanjutan';

export interface PmtResult {
  readonly modelVersion: string;
  readonly indicators: IndicatorValues;
  readonly householdSize: number;
  readonly score: number;
  readonly desil: number;
  readonly classification: DtsenClass;
  readonly outcome: EligibilityOutcome;
}

export function pmtScore(model: PmtModel, indicators: IndicatorValues, householdSize: number): number {
  let score = model.intercept + model.weights.householdSize * householdSize;
  for (const name of INDICATOR_NAMES) score += model.weights[name] * indicators[name];
  return Math.round(score * 1000) / 1000;
}

export function desilOf(model: PmtModel, score: number): number {
  return 1 + model.desilCutPoints.filter((cut) => score >= cut).length;
}

/** Scores a household. Borderline scores without a field visit go back to the field. */
export function assess(model: PmtModel, indicators: IndicatorValues, householdSize: number, fieldVerified: boolean): PmtResult {
  const score = pmtScore(model, indicators, householdSize);
  const desil = desilOf(model, score);
  const cut = model.desilCutPoints[model.eligibleUpToDesil - 1];
  const borderline = Math.abs(score - cut) < model.borderlineMargin;
  const outcome: EligibilityOutcome =
    borderline && !fieldVerified ? 'perlu_verifikasi_lanjutan' : desil <= model.eligibleUpToDesil ? 'layak' : 'tidak_layak';
  return {
    modelVersion: model.version,
    indicators,
    householdSize,
    score,
    desil,
    classification: model.classification[desil - 1],
    outcome,
  };
}

/** The problems that make a model unusable (checked when models are loaded). */
export function modelProblems(model: PmtModel): string[] {
  const problems: string[] = [];
  const cuts = model.desilCutPoints;
  if (cuts.length !== 9) problems.push('desilCutPoints must have 9 values');
  if (cuts.some((c, i) => i > 0 && c <= cuts[i - 1])) problems.push('desilCutPoints must be ascending');
  if (model.classification.length !== 10) problems.push('classification must have 10 entries (desil 1..10)');
  if (model.classification.some((c) => !DTSEN_CLASSES.includes(c))) problems.push('unknown classification');
  if (model.eligibleUpToDesil < 1 || model.eligibleUpToDesil > 9) problems.push('eligibleUpToDesil must be 1..9');
  for (const name of [...INDICATOR_NAMES, 'householdSize'] as const) {
    if (typeof model.weights[name] !== 'number') problems.push(`weight for ${name} missing`);
  }
  return problems;
}
