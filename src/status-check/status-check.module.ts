import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { Settings, SETTINGS } from '../config/settings.module';
import { ProgramsModule } from '../programs/programs.module';
import { RegistrationModule } from '../registration/registration.module';
import { Captcha } from './captcha.service';
import { FixedWindowStorage } from './fixed-window-storage';
import { StatusCheckController } from './status-check.controller';
import { StatusCheckPages } from './status-check.pages';
import { StatusCheck } from './status-check.service';
import { statusCheckThrottlers, StatusCheckThrottler } from './status-check.throttler';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [SETTINGS],
      useFactory: (s: Settings) => statusCheckThrottlers(s, new FixedWindowStorage()),
    }),
    ProgramsModule,
    RegistrationModule,
  ],
  providers: [StatusCheck, Captcha, StatusCheckThrottler],
  controllers: [StatusCheckController, StatusCheckPages],
})
export class StatusCheckModule {}
