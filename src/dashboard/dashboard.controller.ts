import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { parsePosition } from '../event-store/position';
import { periodOf } from '../programs/program-rules';
import { ReadModelFreshness } from '../projection-runner/read-model-freshness';
import { AfterPositionQuery } from '../shared/http/after-position.dto';
import { Dashboard } from './dashboard.service';
import { REGION_CODE } from '../shared/http/region-code';

export class DashboardQuery extends AfterPositionQuery {
  @IsOptional()
  @Matches(REGION_CODE)
  regionCode?: string;

  @IsOptional()
  @Matches(/^\d{4}-Q[1-4]$/)
  period?: string;
}

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('api/v1/dashboard')
export class DashboardController {
  constructor(
    private readonly dashboard: Dashboard,
    private readonly readModels: ReadModelFreshness,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Angka dasbor per wilayah dan periode: kasus per tahap, kepatuhan SLA, penerima vs kuota, sebaran kelas / figures',
  })
  async figures(@CurrentPrincipal() p: Principal, @Query() q: DashboardQuery): Promise<object> {
    if (q.afterPosition) await this.readModels.waitFor(parsePosition(q.afterPosition)!);
    return this.dashboard.figures(p, q.regionCode, q.period ?? periodOf(new Date().toISOString().slice(0, 10)));
  }
}
