import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { REGISTRY_EXTRACT_HEADER, registryExtractPages } from '../../projections/households/households.queries';
import { authorizePermission } from '../auth/policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ExportFormatQuery, sendTable } from '../tabular/tabular-export';
import { ApiError } from '../shared/http/api-error';
import { Clock, CLOCK } from '../shared/clock';
import { REGION_CODE } from '../shared/http/region-code';

class RegistryExtractQuery extends ExportFormatQuery {
  /** A region within the reader's own (default: the reader's region). */
  @IsOptional()
  @Matches(REGION_CODE)
  regionCode?: string;
}

@ApiTags('households')
@ApiBearerAuth()
@Controller('api/v1/households')
export class RegistryExtractController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('export')
  @ApiOperation({
    summary:
      'Ekstrak registri sebuah wilayah (CSV/XLSX, dialirkan; tanpa data pribadi) / registry extract of a region, streamed, no personal data',
  })
  async export(@CurrentPrincipal() p: Principal, @Query() q: RegistryExtractQuery, @Res() res: Response): Promise<void> {
    const region = q.regionCode ?? p.region;
    const denied = authorizePermission(p, 'households:read', region);
    if (denied) throw ApiError.fromRejection(denied);
    await sendTable(res, {
      format: q.format ?? 'csv',
      filename: `registri-${region || 'nasional'}-${this.clock.now().toISOString().slice(0, 10)}`,
      header: REGISTRY_EXTRACT_HEADER,
      pages: registryExtractPages(this.dataSource, region),
    });
  }
}
