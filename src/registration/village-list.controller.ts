import { Controller, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Request, Response } from 'express';
import { authorizePermission } from '../auth/policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { Clock, CLOCK } from '../shared/clock';
import { problemReportCsv, uploadedTable, XLSX_TYPE } from '../tabular/tabular-import';
import { VILLAGE_LIST_COLUMNS } from './village-list';
import { VillageListImport, VillageListReport } from './village-list-import.service';

class VillageListQuery {
  @Matches(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/)
  villageCode!: string;

  /** `csv`: answer with the error report as a CSV file instead of JSON. */
  @IsOptional()
  @IsIn(['csv'])
  report?: 'csv';
}

@ApiTags('registrations')
@ApiBearerAuth()
@Controller('api/v1/registrations')
export class VillageListController {
  constructor(
    private readonly lists: VillageListImport,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv', XLSX_TYPE)
  @ApiOperation({
    summary: `Impor daftar desa (CSV/XLSX: ${VILLAGE_LIST_COLUMNS.join(',')}; baris satu KK berurutan) sebagai draf; rumah tangga yang salah ditolak, sisanya masuk / import a village list as drafts`,
  })
  async import(
    @CurrentPrincipal() actor: Principal,
    @Query() q: VillageListQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VillageListReport | string> {
    const denied = authorizePermission(actor, 'registrations:create', q.villageCode);
    if (denied) throw ApiError.fromRejection(denied);
    const table = uploadedTable(req);
    const today = this.clock.now().toISOString().slice(0, 10);
    const report = await this.lists.import(actor, q.villageCode, table.body, table.contentType, today);
    if (q.report !== 'csv') return report;
    return problemReportCsv(res, `laporan-impor-${q.villageCode}-${today}`, report.problems);
  }
}
