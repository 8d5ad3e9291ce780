import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/auth.guard';
import { Settings, SETTINGS } from '../config/settings.module';
import { HealthReport, HealthService } from './health.service';

/**
 * Public on purpose: load balancers and operators poll it. It shows no personal data; its
 * internals (database mode, positions, lags, errors) only when HEALTH_DETAILS is on (not by
 * default in production), else the status alone, with the same HTTP status.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport | Pick<HealthReport, 'status'>> {
    const report = await this.health.report();
    if (report.status === 'down') res.status(503);
    return this.settings.config.http.healthDetails ? report : { status: report.status };
  }
}
