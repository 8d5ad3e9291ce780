import { Logger } from '@nestjs/common';
import { OutgoingNotification } from './templates';

/** Where notifications go: SMS and e-mail gateways plug in here. */
export interface NotificationSender {
  readonly name: string;
  send(notification: OutgoingNotification): Promise<void>;
}

export const NOTIFICATION_SENDER = Symbol('NotificationSender');

/** The default: logs that a message went out, never to whom or what it said about the household. */
export class LoggingSender implements NotificationSender {
  readonly name = 'log';
  private readonly logger = new Logger('Notification');

  async send(n: OutgoingNotification): Promise<void> {
    const via = [n.to.phone ? 'sms' : '', n.to.email ? 'email' : ''].filter(Boolean).join('+') || 'none';
    this.logger.log(`notification ${n.notificationId} (${n.template}) for case ${n.caseId} via ${via}`);
  }
}

/** Posts the message as JSON to an SMS/e-mail gateway; any non-2xx answer is a failure to retry. */
export class WebhookSender implements NotificationSender {
  readonly name = 'webhook';

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(n: OutgoingNotification): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': n.notificationId },
      body: JSON.stringify(n),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`gateway answered ${res.status}`);
  }
}
