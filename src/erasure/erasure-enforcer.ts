import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Erasures } from './erasure.service';

/**
 * Re-applies the erasure register at every start: keys destroyed after a backup was taken are
 * destroyed again once that backup is restored, and an approval cut short by a crash is finished.
 */
@Injectable()
export class ErasureEnforcer implements OnApplicationBootstrap {
  private readonly logger = new Logger('ErasureEnforcer');

  constructor(private readonly erasures: Erasures) {}

  async onApplicationBootstrap(): Promise<void> {
    const entries = await this.erasures.register.entries();
    for (const entry of entries) await this.erasures.reapply(entry);
    if (entries.length) this.logger.log(`erasure register re-applied: ${entries.length} erasures`);
  }
}
