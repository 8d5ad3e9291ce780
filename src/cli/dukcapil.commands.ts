import * as fs from 'node:fs';
import { Command, Option } from 'nest-commander';
import { DukcapilService } from '../dukcapil/dukcapil.service';
import { EXTRACT_COLUMNS, RowProblem } from '../dukcapil/dukcapil-extract';
import { CliCommand } from './cli-command';
import { XLSX_TYPE } from '../tabular/tabular-import';
import { progressBar, speed } from './progress';

@Command({
  name: 'dukcapil:import',
  arguments: '<file>',
  description: `Import a population-registry (Dukcapil) extract, CSV or XLSX (${EXTRACT_COLUMNS.join(',')}); all rows or none (--partial: the good rows, reporting the bad)`,
})
export class DukcapilImportCommand extends CliCommand {
  constructor(private readonly dukcapil: DukcapilService) {
    super();
  }

  protected async execute([file]: string[], options: { partial?: boolean }): Promise<void> {
    if (!fs.existsSync(file)) throw new Error(`berkas tidak ada / no such file: ${file}`);
    const xlsx = file.toLowerCase().endsWith('.xlsx');
    // A CSV's lines give the bar its end; an XLSX's rows are only known once read.
    const total = xlsx ? undefined : Math.max(1, (await countLines(file)) - 1);
    const bar = progressBar('rows');
    const startedAt = Date.now();
    if (total) bar.start(total, 0, { phase: 'importing', speed: 0 });
    const result = await this.dukcapil.importExtract(
      { file, contentType: xlsx ? XLSX_TYPE : 'text/csv' },
      null,
      new Date().toISOString().slice(0, 10),
      {
        partial: options.partial,
        onProgress: (done) => total && bar.update(Math.min(done, total), { phase: 'importing', speed: speed(done, startedAt) }),
      },
    );
    if (total) bar.stop();
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

/** Newlines in a file, read as a stream. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file)) for (const byte of chunk as Buffer) if (byte === 10) lines++;
  return lines;
}
