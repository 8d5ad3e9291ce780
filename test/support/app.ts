import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configureApp } from '../../src/app-setup';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase, TEST_KEK } from './database';

/** The whole HTTP app on a fresh database of the run's PostgreSQL, as `npm start` builds it. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { databaseUrl?: string } = {},
): Promise<{ app: INestApplication; url: string; close(): Promise<void> }> {
  // A given database: a second instance beside another app (it neither migrates anew nor drops it).
  const db = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-docs-'));
  const config = loadConfig({
    LOG_LEVEL: 'error',
    EVENT_POLL_INTERVAL_MS: '100',
    DOCUMENT_STORE_DIR: documentsDir,
    ERASURE_REGISTER_FILE: path.join(documentsDir, 'erasure-register.jsonl'),
    INTEGRITY_CHECKPOINT_FILE: path.join(documentsDir, 'integrity-checkpoints.jsonl'),
    NOTIFICATION_POLL_INTERVAL_MS: '200',
    DEMO_HOUSEHOLDS: '0', // the demo users and extract, not the synthetic population: each test sees its own cases
    ...env,
  });
  const settings = {
    config,
    databaseUrl: db.url,
    keyEncryptionKey: TEST_KEK,
    database: 'external' as const,
    runProjections: !options.databaseUrl,
  };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings), {
    logger: ['error'],
    abortOnError: false,
  });
  configureApp(app, settings);
  await app.init();
  return {
    app,
    url: db.url,
    close: async () => {
      await app.close();
      await db.drop();
      fs.rmSync(documentsDir, { recursive: true, force: true });
    },
  };
}
