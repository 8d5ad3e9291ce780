import { Command } from 'nest-commander';
import { CliCommand } from './cli-command';
import { formatPosition } from '../event-store/position';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { progressBar, speed } from './progress';

@Command({ name: 'projections:status', description: 'Position and lag (events, seconds) of every projection' })
export class ProjectionsStatusCommand extends CliCommand {
  constructor(private readonly runner: ProjectionRunner) {
    super();
  }

  protected async execute(): Promise<void> {
    const rows = (await this.runner.status()).map((s) => [
      s.name,
      formatPosition(s.position),
      String(s.eventsApplied),
      String(s.lagEvents),
      s.lagSeconds.toFixed(1),
      s.updatedAt?.toISOString() ?? '-',
    ]);
    printTable(['projection', 'position', 'applied', 'lag (events)', 'lag (s)', 'updated'], rows);
  }
}

@Command({
  name: 'projections:rebuild',
  arguments: '<name>',
  description:
    'Rebuild a projection (or "all" of them, one after another) from the first event into shadow tables, then swap them in (no downtime)',
})
export class ProjectionsRebuildCommand extends CliCommand {
  constructor(private readonly runner: ProjectionRunner) {
    super();
  }

  protected async execute([name]: string[]): Promise<void> {
    // "all": every projection that owns tables (a saga owns none and must not re-issue commands).
    const names =
      name === 'all'
        ? this.runner.projections.filter((p) => p.tables.length > 0 && !p.issuesCommands).map((p) => p.name)
        : [name];
    for (const one of names) await this.rebuildOne(one);
  }

  private async rebuildOne(name: string): Promise<void> {
    const bar = progressBar('events');
    const startedAt = Date.now();
    let started = false;
    await this.runner.rebuild(name, (p) => {
      if (!started) bar.start(Math.max(p.total, 1), 0, { phase: p.phase, speed: 0 });
      started = true;
      bar.setTotal(Math.max(p.total, p.applied, 1));
      bar.update(p.applied, { phase: p.phase, speed: speed(p.applied, startedAt) });
    });
    bar.stop();
    process.stdout.write(`Projection ${name} rebuilt and swapped in (${((Date.now() - startedAt) / 1000).toFixed(1)} s).\n`);
  }
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write([line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n');
}
