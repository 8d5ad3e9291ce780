import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { periodOf } from '../programs/program-rules';
import { Clock, CLOCK } from '../shared/clock';
import { Page } from '../web/page.decorator';
import { Views } from '../web/views';
import { Web, WebContext } from '../web/web-context';
import { DashboardQuery } from './dashboard.controller';
import { Dashboard } from './dashboard.service';

/** The dashboard's charts for the reader's region (Chart.js draws the figures the API serves). */
@ApiExcludeController()
@Controller('dasbor')
export class DashboardPages {
  constructor(
    private readonly views: Views,
    private readonly dashboard: Dashboard,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Page()
  async page(@Web() web: WebContext, @Query() q: DashboardQuery): Promise<string> {
    const period = q.period ?? periodOf(this.clock.now().toISOString().slice(0, 10));
    const figures = await this.dashboard.figures(web.principal!, q.regionCode, period);
    return this.views.render('dashboard/dasbor', web, {
      figures,
      filter: { regionCode: q.regionCode ?? web.principal!.region, period },
    });
  }
}
