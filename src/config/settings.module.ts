import { DynamicModule, Global, Module } from '@nestjs/common';
import type { DatabaseSupervision } from '../database/postgres-supervisor';
import { AppConfig } from './config';

/** Everything a Nest context needs to know at start: validated config plus the runtime's database. */
export interface Settings {
  readonly config: AppConfig;
  readonly databaseUrl: string;
  readonly keyEncryptionKey: Buffer;
  readonly database: 'embedded' | 'external';
  /** The supervisor of the embedded server this app started (absent for an external one). */
  readonly embeddedDatabase?: DatabaseSupervision;
  /** The HTTP app runs projections; a CLI command usually does not. */
  readonly runProjections: boolean;
  /**
   * Read the store without the MAC key: an external auditor's `events:verify --public-key` on a
   * machine that does not hold the installation's key (MACs stay unchecked, nothing is quarantined).
   */
  readonly withoutMacKey?: boolean;
}

export const SETTINGS = Symbol('Settings');

@Global()
@Module({})
export class SettingsModule {
  static forRoot(settings: Settings): DynamicModule {
    return { module: SettingsModule, providers: [{ provide: SETTINGS, useValue: settings }], exports: [SETTINGS] };
  }
}
