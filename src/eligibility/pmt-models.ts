import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelProblems, PmtModel } from './pmt';

const MODELS_DIR = path.join(__dirname, 'models');

/**
 * The proxy-means-test versions, one JSON file each under `models/`. A new version is a new file;
 * the newest whose effectiveFrom has come is used unless PMT_MODEL_VERSION pins one.
 */
export class PmtModels {
  private readonly models: PmtModel[];

  constructor(models?: PmtModel[]) {
    this.models = (models ?? readModelFiles()).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    for (const m of this.models) {
      const problems = modelProblems(m);
      if (problems.length > 0) throw new Error(`PMT model ${m.version}: ${problems.join('; ')}`);
    }
  }

  all(): readonly PmtModel[] {
    return this.models;
  }

  get(version: string): PmtModel | undefined {
    return this.models.find((m) => m.version === version);
  }

  /** The model in force on a date (`YYYY-MM-DD`). */
  current(today: string, pinned?: string): PmtModel {
    const model = pinned ? this.get(pinned) : [...this.models].reverse().find((m) => m.effectiveFrom <= today);
    if (!model) throw new Error(pinned ? `PMT model ${pinned} not found` : `no PMT model in force on ${today}`);
    return model;
  }
}

function readModelFiles(): PmtModel[] {
  return fs
    .readdirSync(MODELS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(MODELS_DIR, f), 'utf8')) as PmtModel);
}
