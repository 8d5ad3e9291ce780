import { CommandRunner } from 'nest-commander';
import { stopProgressBars } from './progress';

/** A CLI command whose failures print one plain line and set a non-zero exit code. */
export abstract class CliCommand extends CommandRunner {
  protected abstract execute(args: string[], options: any): Promise<void>;

  async run(args: string[], options: Record<string, unknown> = {}): Promise<void> {
    try {
      await this.execute(args, options);
    } catch (err) {
      process.stderr.write(`Gagal / failed: ${(err as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      stopProgressBars();
    }
  }
}
