import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Settings, SETTINGS } from '../config/settings.module';
import { RegistrationCases } from '../registration/registration-cases.service';
import { describeError } from '../shared/safe-error';
import { NOTIFICATION_SENDER, NotificationSender } from './senders';
import { NotificationTemplate, render } from './templates';

const BATCH = 50;
const MAX_ATTEMPTS = 8;

/**
 * Sends what the outbox holds and records each delivery. Rows are claimed with SKIP LOCKED so
 * several app instances share the work; a failure is retried with exponential back-off.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Notification');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: RegistrationCases,
    @Inject(NOTIFICATION_SENDER) private readonly sender: NotificationSender,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.runProjections) return;
    this.timer = setInterval(
      () => void this.dispatchOnce().catch((err) => this.logger.warn(`dispatch failed: ${describeError(err)}`)),
      this.settings.config.notifications.pollIntervalMs,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Sends one batch of due notifications; returns how many were attempted. */
  dispatchOnce(): Promise<number> {
    this.running ??= this.dispatch().finally(() => (this.running = undefined));
    return this.running;
  }

  private async dispatch(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const due: Array<{ id: string; case_id: string; template: NotificationTemplate; reasons: unknown[]; attempts: number }> =
        await m.query(
          `select o.id, o.case_id, o.template, o.reasons, coalesce(d.attempts, 0) as attempts
         from notification_outbox o left join notification_deliveries d on d.notification_id = o.id
         where d.notification_id is null or (d.status = 'FAILED' and d.next_attempt_at <= now())
         order by o.created_at limit ${BATCH} for update of o skip locked`,
        );
      for (const n of due) await this.deliver(m, n);
      return due.length;
    });
  }

  private async deliver(
    m: import('typeorm').EntityManager,
    n: { id: string; case_id: string; template: NotificationTemplate; reasons: unknown[]; attempts: number },
  ): Promise<void> {
    const { state } = await this.cases.load(n.case_id);
    const to = state.application?.contact ?? {};
    const attempts = n.attempts + 1;
    let status: 'SENT' | 'FAILED' | 'NO_CONTACT' = 'SENT';
    let error: string | null = null;
    if (!to.phone && !to.email)
      status = 'NO_CONTACT'; // the village office informs the household
    else {
      try {
        await this.sender.send({
          notificationId: n.id,
          caseId: n.case_id,
          template: n.template,
          to,
          text: render(n.template, state.registrationNumber ?? '-'),
          reasons: n.reasons,
        });
      } catch (err) {
        status = 'FAILED';
        error = describeError(err);
      }
    }
    const retryAt = status === 'FAILED' && attempts < MAX_ATTEMPTS ? new Date(Date.now() + 2 ** attempts * 1000) : null;
    await m.query(
      `insert into notification_deliveries (notification_id, status, attempts, next_attempt_at, last_error, updated_at) values ($1, $2, $3, $4, $5, now())
       on conflict (notification_id) do update set status = excluded.status, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
         last_error = excluded.last_error, updated_at = now()`,
      [n.id, status, attempts, retryAt, error],
    );
  }
}
