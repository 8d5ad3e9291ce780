import { Command, Option } from 'nest-commander';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { SyntheticPopulation } from '../synthetic/synthetic-population.service';
import { CliCommand } from './cli-command';
import { progressBar, speed } from './progress';

interface GenerateOptions {
  households: number;
  seed: number;
  region: string;
  today: string;
  catchUp: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

@Command({
  name: 'population:generate',
  description:
    'Write a seeded synthetic population (real villages, valid NIK/KK, Indonesian names) as events through the batch append path, then bring the read models up to date',
})
export class PopulationGenerateCommand extends CliCommand {
  constructor(
    private readonly population: SyntheticPopulation,
    private readonly runner: ProjectionRunner,
  ) {
    super();
  }

  protected async execute(_args: string[], options: Partial<GenerateOptions>): Promise<void> {
    const request = {
      households: options.households ?? 10_000,
      seed: options.seed ?? 1,
      region: options.region ?? '',
      today: options.today ?? new Date().toISOString().slice(0, 10),
    };
    this.population.villagesOf(request.region); // an unknown region fails before anything is written
    const bar = progressBar('households');
    const startedAt = Date.now();
    bar.start(request.households, 0, { phase: 'writing events', speed: 0 });
    const result = await this.population.load(request, (p) =>
      bar.update(p.households, { phase: `${p.events} events`, speed: speed(p.households, startedAt) }),
    );
    bar.stop();
    const outcomes = Object.entries(result.outcomes)
      .map(([status, n]) => `${status} ${n}`)
      .join(', ');
    process.stdout.write(
      `Ditulis / written: ${result.households} rumah tangga/households, ${result.events} events in ${result.seconds.toFixed(1)} s (${outcomes})\n`,
    );
    if (options.catchUp === false)
      process.stdout.write('Read models not brought up to date (--no-catch-up): the app does it when it starts.\n');
    else await this.catchUp();
  }

  /** Runs the projections here (where no running app holds them) until every one has reached the head. */
  private async catchUp(): Promise<void> {
    const bar = progressBar('events');
    const lag = async () => (await this.runner.status()).reduce((n, s) => n + s.lagEvents, 0);
    const total = Math.max(await lag(), 1);
    const startedAt = Date.now();
    this.runner.start();
    bar.start(total, 0, { phase: 'projections catching up', speed: 0 });
    try {
      for (let remaining = total; remaining > 0; await new Promise((r) => setTimeout(r, 1000))) {
        remaining = await lag();
        bar.update(total - remaining, { phase: 'projections catching up', speed: speed(total - remaining, startedAt) });
      }
    } finally {
      bar.stop();
      await this.runner.stop();
    }
    process.stdout.write(`Read models up to date (${((Date.now() - startedAt) / 1000).toFixed(1)} s).\n`);
  }

  @Option({ flags: '-n, --households <count>', description: 'How many households (default 10000)' })
  parseHouseholds(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 50_000_000) throw new Error('--households: a whole number from 1 to 50,000,000');
    return n;
  }

  @Option({ flags: '-s, --seed <seed>', description: 'The same seed gives the same population (default 1)' })
  parseSeed(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error('--seed: a whole number, 0 or more');
    return n;
  }

  @Option({ flags: '-r, --region <code>', description: 'Only this region’s villages, e.g. 32.04 (default: the whole country)' })
  parseRegion(value: string): string {
    return value;
  }

  @Option({
    flags: '--no-catch-up',
    description: 'Only write the events; the read models catch up when the app starts (or run projections:rebuild)',
  })
  parseCatchUp(): boolean {
    return false;
  }

  @Option({ flags: '--today <YYYY-MM-DD>', description: 'Registrations fall in the year before this day (default: today)' })
  parseToday(value: string): string {
    if (!DAY.test(value) || Number.isNaN(Date.parse(value))) throw new Error('--today: a date as YYYY-MM-DD');
    return value;
  }
}
