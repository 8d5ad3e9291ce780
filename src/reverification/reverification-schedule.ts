import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/roles';
import { Settings, SETTINGS } from '../config/settings.module';
import { WrongExpectedVersionError } from '../event-store/errors';
import { derivedEventId } from '../programs/enrolments.service';
import { CLOCK, Clock } from '../shared/clock';
import { describeError } from '../shared/safe-error';
import { StatusChanges } from '../status-changes/status-changes.service';

const SCHEDULER: Principal = { userId: 'sistem:verifikasi-berkala', role: 'admin', region: '' };
const CHECK_EVERY_MS = 60 * 60 * 1000;
const BATCH = 500;

/**
 * Periodic re-verification: a household not verified for REVERIFICATION_MONTHS is stale, and a
 * re-verification case opens for it (one at a time; the case id derives from the household and
 * its last verification, so two instances or two runs open it once).
 */
@Injectable()
export class ReverificationSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reverification');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: StatusChanges,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.runProjections) return;
    this.timer = setInterval(
      () => void this.runOnce().catch((err) => this.logger.warn(`run failed: ${describeError(err)}`)),
      CHECK_EVERY_MS,
    );
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Opens a case for each stale household; returns how many were opened. */
  async runOnce(): Promise<number> {
    const months = this.settings.config.reverificationMonths;
    const stale: Array<{ household_id: string; last_verified_at: Date }> = await this.dataSource.query(
      `select household_id, last_verified_at from households
       where active and reverification_case_id is null and last_verified_at < $1::timestamptz - make_interval(months => $2)
       order by last_verified_at limit ${BATCH}`,
      [this.clock.now().toISOString(), months],
    );
    let opened = 0;
    for (const h of stale) {
      const since = new Date(h.last_verified_at).toISOString();
      try {
        await this.changes.request(
          h.household_id,
          { kind: 'VERIFIKASI_ULANG', trigger: 'BERKALA' },
          { type: 'JADWAL', staleSince: since },
          { actor: SCHEDULER, reason: `Belum diverifikasi sejak ${since.slice(0, 10)} (lebih dari ${months} bulan)` },
          derivedEventId('verifikasi-berkala', h.household_id, since),
        );
        opened++;
      } catch (err) {
        if (!(err instanceof WrongExpectedVersionError)) throw err; // opened already by another run
      }
    }
    if (opened > 0) this.logger.log(`${opened} re-verification cases opened`);
    return opened;
  }
}
