import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/auth.guard';
import { Settings, SETTINGS } from '../config/settings.module';
import { EVENT_STORE, EventStore } from '../event-store/port';
import { ProjectionRunners } from '../projection-runner/projection-runners';
import { ApiError } from '../shared/http/api-error';
import { Metrics } from './metrics';

/** Prometheus scrapes here: no personal data, behind METRICS_TOKEN when one is set. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly runners: ProjectionRunners,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    this.checkToken(authorization);
    const [visibility, ...perRunner] = await Promise.all([
      this.store.visibility(),
      ...this.runners.all().map((r) => r.status({ maxLagCount: 100_000 })),
    ]);
    this.metrics.pendingEvents.set(visibility.pendingEvents);
    this.metrics.heldBackSeconds.set(visibility.heldBackBy?.seconds ?? 0);
    const statuses = perRunner.flat();
    for (const s of statuses) {
      this.metrics.projectionLagEvents.set({ projection: s.name }, s.lagEvents);
      this.metrics.projectionLagSeconds.set({ projection: s.name }, s.lagSeconds);
    }
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }

  private checkToken(authorization: string | undefined): void {
    const token = this.settings.config.metricsToken;
    if (!token) return;
    const given = Buffer.from(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new ApiError(401, 'METRICS_TOKEN', { id: 'Token metrik diperlukan', en: 'The metrics token is required' });
  }
}
