import { Inject, Injectable } from '@nestjs/common';
import { PmtModels } from '../eligibility/pmt-models';
import { WrongExpectedVersionError } from '../event-store/errors';
import { EVENT_STORE, EventStore, StreamAppend } from '../event-store/port';
import { isWithinRegion, readIdnAreaData } from '../reference/idn-area-data';
import { RegionDirectory } from '../reference/region-directory';
import { NikClaims } from '../registration/nik-claims';
import { generatePopulation } from './population';
import { seededFaker } from './seeded-faker';
import { syntheticRegistration } from './synthetic-registration';

export interface PopulationRequest {
  readonly households: number;
  readonly seed: number;
  /** A region code (`32`, `32.04`, …; '' = the whole country): households go to its villages. */
  readonly region: string;
  /** `YYYY-MM-DD`; registrations fall in the year before it. */
  readonly today: string;
}

export interface PopulationProgress {
  readonly households: number;
  readonly events: number;
}

export interface PopulationResult extends PopulationProgress {
  readonly outcomes: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/** Households per atomic batch append: large enough to amortise a commit, small enough to stay quick. */
const BATCH_HOUSEHOLDS = 250;

export class PopulationAlreadyLoadedError extends Error {}

/**
 * Writes a seeded synthetic population into the event store through the batch append path: each
 * household's registration as the verval decider takes it, its NIK claims and (when established)
 * the household, 250 households per atomic append. The projections build the read models from
 * these events like from any others.
 */
@Injectable()
export class SyntheticPopulation {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly claims: NikClaims,
    private readonly regions: RegionDirectory,
    private readonly pmt: PmtModels,
  ) {}

  /** The villages of a region, from the reference data; an error that says so when there are none. */
  villagesOf(region: string): string[] {
    const villages = readIdnAreaData()
      .filter((r) => r.level === 'desa' && isWithinRegion(r.code, region))
      .map((r) => r.code);
    if (!villages.length) throw new RangeError(`wilayah tidak dikenal / unknown region: ${region}`);
    return villages;
  }

  async load(request: PopulationRequest, onProgress?: (p: PopulationProgress) => void): Promise<PopulationResult> {
    const startedAt = Date.now();
    const context = {
      model: this.pmt.current(request.today),
      districtExists: (code: string) => this.regions.get(code)?.level === 'kecamatan',
      villageExists: (code: string) => this.regions.isVillage(code),
      claimStreamId: (nik: string) => this.claims.streamId(nik),
      faker: seededFaker(request.seed + 1),
    };
    const outcomes: Record<string, number> = {};
    let households = 0;
    let events = 0;
    let batch: StreamAppend[] = [];
    const flush = async () => {
      await this.append(batch);
      onProgress?.({ households, events });
      batch = [];
    };
    const population = generatePopulation({
      seed: request.seed,
      households: request.households,
      villageCodes: this.villagesOf(request.region),
      today: request.today,
    });
    for (const household of population) {
      const registered = syntheticRegistration(household, context);
      batch.push(...registered.appends);
      outcomes[registered.status] = (outcomes[registered.status] ?? 0) + 1;
      households += 1;
      events += registered.events;
      if (households % BATCH_HOUSEHOLDS === 0) await flush();
    }
    if (batch.length) await flush();
    return { households, events, outcomes, seconds: (Date.now() - startedAt) / 1000 };
  }

  private async append(batch: StreamAppend[]): Promise<void> {
    try {
      await this.store.appendMany(batch);
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) {
        throw new PopulationAlreadyLoadedError(
          'sebagian populasi ini sudah ada (seed yang sama, atau NIK yang sama dengan populasi sebelumnya di wilayah ini); tidak ada yang ditulis pada batch ini — pilih seed lain / ' +
            'part of this population is already there (the same seed, or NIKs shared with an earlier one in this region); this batch wrote nothing — choose another seed',
        );
      }
      throw err;
    }
  }
}
