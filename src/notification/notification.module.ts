import { Module } from '@nestjs/common';
import { Settings, SETTINGS } from '../config/settings.module';
import { RegistrationModule } from '../registration/registration.module';
import { NotificationDispatcher } from './notification-dispatcher';
import { LoggingSender, NOTIFICATION_SENDER, WebhookSender } from './senders';

@Module({
  imports: [RegistrationModule],
  providers: [
    NotificationDispatcher,
    {
      provide: NOTIFICATION_SENDER,
      inject: [SETTINGS],
      useFactory: (s: Settings) =>
        s.config.notifications.sender === 'webhook' ? new WebhookSender(s.config.notifications.webhookUrl!) : new LoggingSender(),
    },
  ],
  exports: [NotificationDispatcher],
})
export class NotificationModule {}
