import * as fs from 'node:fs';
import { Command, Option } from 'nest-commander';
import { DukcapilService } from '../dukcapil/dukcapil.service';
import { EXTRACT_COLUMNS, RowProblem } from '../dukcapil/dukcapil-extract';
import { CliCommand } from './cli-command';
import { progressBar, speed } from './progress';

@Command({
  name: 'dukcapil:import',
  arguments: '<file>',
  description: `Import a population-registry (Dukcapil) extract CSV (${EXTRACT_COLUMNS.join(',')}); all rows or none (--partial: the good rows, reporting the bad)`,
})
export class DukcapilImportCommand extends CliCommand {
  constructor(private readonly dukcapil: DukcapilService) {
    super();
  }

  protected async execute([file]: string[], options: { partial?: boolean }): Promise<void> {
    if (!fs.existsSync(file)) throw new Error(`berkas tidak ada / no such file: ${file}`);
    const bar = progressBar('rows');
    const startedAt = Date.now();
    let started = false;
    const result = await this.dukcapil.importCsv(
      fs.readFileSync(file),
      null,
      new Date().toISOString().slice(0, 10),
      (done, total) => {
        if (!started) bar.start(total, 0, { phase: 'importing', speed: 0 });
        started = true;
        bar.update(done, { phase: 'importing', speed: speed(done, startedAt) });
      },
      { partial: options.partial },
    );
    if (started) bar.stop();
    const report = (problems: RowProblem[]) =>
      problems.forEach((p) => process.stderr.write(`baris/line ${p.line}, kolom/column ${p.column}: ${p.code}\n`));
    if (!result.imported) {
      report(result.problems);
      throw new Error(`${result.problems.length} masalah, tidak ada yang diimpor / problems found, nothing imported`);
    }
    report(result.rejected);
    process.stdout.write(
      `Diimpor / imported: ${result.rows} baris/rows, ditolak / rejected: ${result.rejectedRows} (sha256 ${result.fileSha256}, import ${result.importId})\n`,
    );
    if (result.rejectedRows > 0) process.exitCode = 2; // imported, but not everything
  }

  @Option({ flags: '--partial', description: 'Import the good rows and report the bad ones instead of refusing the file' })
  parsePartial(): boolean {
    return true;
  }
}
