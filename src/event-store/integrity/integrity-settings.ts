import * as path from 'node:path';
import { derivedSecret } from '../../auth/tokens.service';
import { Settings } from '../../config/settings.module';
import { deriveIntegrityKeys, IntegrityKeys } from './keys';

/**
 * INTEGRITY_KEY when set; otherwise a seed derived from the key-encryption key, which outside
 * production is itself generated once into a git-ignored file beside the data (never into the
 * database). Either way PostgreSQL never holds it.
 */
export function integrityKeys(settings: Pick<Settings, 'config' | 'keyEncryptionKey'>): IntegrityKeys {
  return deriveIntegrityKeys(settings.config.integrity.key ?? derivedSecret(settings.keyEncryptionKey, 'integrity-seed'));
}

/** One checkpoint file per database, outside it: beside the embedded data folder by default. */
export function checkpointFile(settings: Pick<Settings, 'config' | 'databaseUrl'>): string {
  const configured = settings.config.integrity.checkpointFile;
  if (configured) return configured;
  const database = decodeURIComponent(new URL(settings.databaseUrl).pathname.slice(1)) || 'postgres';
  return path.join(path.dirname(settings.config.embeddedPg.dataDir), 'integrity', `${database}.checkpoints.jsonl`);
}
