import { Global, Module } from '@nestjs/common';
import { Settings, SETTINGS } from '../config/settings.module';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  providers: [
    { provide: Metrics, useFactory: (settings: Settings) => new Metrics(settings.embeddedDatabase), inject: [SETTINGS] },
  ],
  controllers: [MetricsController],
  exports: [Metrics],
})
export class MetricsModule {}
