import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPOSITION, ProgramRule } from './program-rules';

const CATALOGUE_DIR = path.join(__dirname, 'catalogue');

/**
 * The programs, one JSON file per program version under `catalogue/`; a program is added by
 * adding a file. The version in force on a day is the newest whose effectiveFrom has come.
 */
export class ProgramCatalogue {
  private readonly rules: ProgramRule[];

  constructor(rules?: ProgramRule[]) {
    this.rules = (rules ?? readCatalogue()).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    for (const r of this.rules) {
      const unknown = r.anyOf.filter((c) => !(c in COMPOSITION));
      if (!/^[A-Z0-9-]{2,30}$/.test(r.code) || unknown.length > 0 || r.maxDesil < 1 || r.maxDesil > 10) {
        throw new Error(`program ${r.code} ${r.version}: invalid rule (code, maxDesil 1..10, conditions ${unknown.join(', ')})`);
      }
    }
  }

  codes(): string[] {
    return [...new Set(this.rules.map((r) => r.code))];
  }

  /** Every program's rule in force on a day. */
  inForce(today: string): ProgramRule[] {
    return this.codes()
      .map((code) => this.rule(code, today))
      .filter((r): r is ProgramRule => r !== undefined);
  }

  rule(code: string, today: string): ProgramRule | undefined {
    return [...this.rules].reverse().find((r) => r.code === code && r.effectiveFrom <= today);
  }

  /** A program's name, from its newest version. */
  name(code: string): ProgramRule['name'] | undefined {
    return [...this.rules].reverse().find((r) => r.code === code)?.name;
  }

  all(): readonly ProgramRule[] {
    return this.rules;
  }
}

function readCatalogue(): ProgramRule[] {
  return fs
    .readdirSync(CATALOGUE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(CATALOGUE_DIR, f), 'utf8')) as ProgramRule);
}

/**
 * Caps against receiving too much (`caps.json`): how many programs one household may hold at once,
 * and which programs come first when the cap is reached.
 */
export class ProgramCaps {
  readonly maxProgramsPerHousehold: number;
  private readonly priority: readonly string[];

  constructor(config?: { maxProgramsPerHousehold: number; priority: string[] }) {
    const c =
      config ??
      (JSON.parse(fs.readFileSync(path.join(__dirname, 'caps.json'), 'utf8')) as {
        maxProgramsPerHousehold: number;
        priority: string[];
      });
    if (!Number.isInteger(c.maxProgramsPerHousehold) || c.maxProgramsPerHousehold < 1)
      throw new Error('caps.json: maxProgramsPerHousehold must be a whole number ≥ 1');
    this.maxProgramsPerHousehold = c.maxProgramsPerHousehold;
    this.priority = c.priority;
  }

  /** Rules in priority order; programs not listed come last, by code. */
  ordered(rules: readonly ProgramRule[]): ProgramRule[] {
    const rank = (code: string) => (this.priority.includes(code) ? this.priority.indexOf(code) : this.priority.length);
    return [...rules].sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
  }
}
