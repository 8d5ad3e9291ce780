import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app-setup';
import { AppConfig, loadConfig } from './config/config';
import { Runtime, startRuntime } from './database/runtime';
import { exitOnStartupError, logLevels } from './main-support';

async function bootstrap(): Promise<void> {
  let runtime: Runtime | undefined;
  try {
    const config: AppConfig = loadConfig();
    Logger.overrideLogger(logLevels(config.logLevel));
    runtime = await startRuntime(config, { supervise: true });
    const settings = { config, ...runtime, runProjections: true };
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings), {
      bufferLogs: true,
      abortOnError: false,
    });
    app.useLogger(app.get(PinoLogger)); // JSON lines from here on (the start-up's buffered ones too)
    configureApp(app, settings);
    await app.listen(config.port);
    const docs = config.http.apiDocs ? 'API: /api/docs, ' : '';
    new Logger('Bootstrap').log(`bansos-verval siap / ready: http://localhost:${config.port} (${docs}health: /health)`);
    const shutdown = async (signal: string): Promise<void> => {
      new Logger('Bootstrap').log(`${signal}: shutting down`);
      await app.close();
      await runtime?.stop();
      process.exit(0);
    };
    process.once('SIGINT', (s) => void shutdown(s));
    process.once('SIGTERM', (s) => void shutdown(s));
  } catch (err) {
    await runtime?.stop().catch(() => undefined);
    exitOnStartupError(err);
  }
}

void bootstrap();
