import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase, TEST_KEK } from './database';

/** The whole HTTP app on a fresh database of the run's PostgreSQL, as `npm start` builds it. */
export async function startTestApp(): Promise<{ app: INestApplication; url: string; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'error', EVENT_POLL_INTERVAL_MS: '100' });
  const app = await NestFactory.create(
    AppModule.forRoot({ config, databaseUrl: db.url, keyEncryptionKey: TEST_KEK, database: 'external', runProjections: true }),
    { logger: ['error'], abortOnError: false },
  );
  await app.init();
  return {
    app,
    url: db.url,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
