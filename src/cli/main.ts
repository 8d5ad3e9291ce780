import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { CommandFactory } from 'nest-commander';
import { loadConfig } from '../config/config';
import { Runtime, startRuntime } from '../database/runtime';
import { exitOnStartupError, logLevels } from '../main-support';
import { CliModule } from './cli.module';

/**
 * `npm run cli -- <command>`: operations commands. Uses DATABASE_URL, or the embedded
 * PostgreSQL (joining the running app's server when there is one).
 */
async function main(): Promise<void> {
  let runtime: Runtime | undefined;
  try {
    const config = loadConfig();
    Logger.overrideLogger(logLevels('warn'));
    runtime = await startRuntime(config);
    const app = await CommandFactory.runWithoutClosing(
      CliModule.forRoot({
        config,
        ...runtime,
        runProjections: false,
        // An external auditor's check: their machine does not hold the installation's MAC key.
        withoutMacKey: process.argv.includes('--public-key'),
      }),
      {
        logger: logLevels('warn'),
        errorHandler: (err) => {
          process.stderr.write(`${err.message}\n`);
          process.exitCode = 64;
        },
      },
    );
    await app.close();
  } catch (err) {
    await runtime?.stop().catch(() => undefined);
    exitOnStartupError(err);
  }
  await runtime?.stop();
}

void main();
