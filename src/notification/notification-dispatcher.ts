import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Settings, SETTINGS } from '../config/settings.module';
import { RegistrationCases } from '../registration/registration-cases.service';
import { describeError } from '../shared/safe-error';
import { NOTIFICATION_SENDER, NotificationSender } from './senders';
import { NotificationTemplate, render } from './templates';

const BATCH = 50;
const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;

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

  /**
   * Claims due notifications in a short transaction (a lease: SENDING until a minute from now), then
   * sends them outside it: a transaction held open during network calls would hide every newer
   * event from every reader. A claim whose lease ran out (the sender died) is sent again; the
   * idempotency key lets the gateway drop the duplicate.
   */
  private async dispatch(): Promise<number> {
    const claimed: Due[] = await this.dataSource.transaction(async (m) => {
      const due: Due[] = await m.query(
        `select o.id, o.case_id, o.template, o.reasons, coalesce(d.attempts, 0) as attempts
         from notification_outbox o left join notification_deliveries d on d.notification_id = o.id
         where d.notification_id is null or (d.status in ('FAILED', 'SENDING') and d.next_attempt_at <= now())
         order by o.created_at limit ${BATCH} for update of o skip locked`,
      );
      for (const n of due) await this.record(m, n.id, 'SENDING', n.attempts + 1, new Date(Date.now() + LEASE_MS), null);
      return due;
    });
    for (const n of claimed) await this.deliver(n);
    return claimed.length;
  }

  private async deliver(n: Due): Promise<void> {
    const { state } = await this.cases.load(n.case_id);
    const to = state.application?.contact ?? {};
    const attempts = n.attempts + 1;
    if (!to.phone && !to.email) return this.record(this.dataSource.manager, n.id, 'NO_CONTACT', attempts, null, null); // the village office informs the household
    try {
      await this.sender.send({
        notificationId: n.id,
        caseId: n.case_id,
        template: n.template,
        to,
        text: render(n.template, state.registrationNumber ?? '-'),
        reasons: n.reasons,
      });
      await this.record(this.dataSource.manager, n.id, 'SENT', attempts, null, null);
    } catch (err) {
      const retryAt = attempts < MAX_ATTEMPTS ? new Date(Date.now() + 2 ** attempts * 1000) : null;
      await this.record(this.dataSource.manager, n.id, 'FAILED', attempts, retryAt, describeError(err));
    }
  }

  private async record(
    m: EntityManager,
    id: string,
    status: 'SENDING' | 'SENT' | 'FAILED' | 'NO_CONTACT',
    attempts: number,
    nextAttemptAt: Date | null,
    error: string | null,
  ): Promise<void> {
    await m.query(
      `insert into notification_deliveries (notification_id, status, attempts, next_attempt_at, last_error, updated_at) values ($1, $2, $3, $4, $5, now())
       on conflict (notification_id) do update set status = excluded.status, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
         last_error = excluded.last_error, updated_at = now()`,
      [id, status, attempts, nextAttemptAt, error],
    );
  }
}

interface Due {
  id: string;
  case_id: string;
  template: NotificationTemplate;
  reasons: unknown[];
  attempts: number;
}
