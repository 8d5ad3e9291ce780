import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DukcapilService } from '../dukcapil/dukcapil.service';
import { Erasures } from './erasure.service';

/**
 * Re-applies the erasure register at every start: keys destroyed after a backup was taken are
 * destroyed again once that backup is restored, and an approval cut short by a crash is finished.
 * Every Dukcapil import also leaves out the residents the register names (by keyed hash).
 */
@Injectable()
export class ErasureEnforcer implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ErasureEnforcer');

  constructor(
    private readonly erasures: Erasures,
    private readonly dukcapil: DukcapilService,
  ) {}

  onModuleInit(): void {
    this.dukcapil.onImport((m) => this.erasures.forgetErasedResidents(m));
  }

  async onApplicationBootstrap(): Promise<void> {
    const entries = await this.erasures.register.entries();
    for (const entry of entries) await this.erasures.reapply(entry);
    if (entries.length) this.logger.log(`erasure register re-applied: ${entries.length} erasures`);
  }
}
