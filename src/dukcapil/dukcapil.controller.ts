import { Controller, Post, Query, Req, Res } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { problemReportCsv, uploadedTable, XLSX_TYPE } from '../tabular/tabular-import';
import { EXTRACT_COLUMNS } from './dukcapil-extract';
import { DukcapilService } from './dukcapil.service';

class ExtractImportQuery {
  /** `true`: import the good rows and report the bad ones (by line and column) instead of refusing the file. */
  @IsOptional()
  @IsIn(['true', 'false'])
  partial?: 'true' | 'false';

  /** `csv`: answer with the problems as a CSV file to download instead of JSON. */
  @IsOptional()
  @IsIn(['csv'])
  report?: 'csv';
}

@ApiTags('dukcapil')
@ApiBearerAuth()
@Controller('api/v1/dukcapil/imports')
export class DukcapilController {
  constructor(private readonly dukcapil: DukcapilService) {}

  @Post()
  @ApiConsumes('text/csv', XLSX_TYPE)
  @ApiOperation({
    summary: `Impor ekstrak Dukcapil (CSV atau XLSX: ${EXTRACT_COLUMNS.join(',')}); semua baris atau tidak sama sekali, atau dengan ?partial=true baris yang baik masuk dan yang salah dilaporkan / all rows or none; with partial=true the good rows go in`,
  })
  async import(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Query() q: ExtractImportQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<object | string> {
    const denied = authorizePermission(principal, 'dukcapil:import', '');
    if (denied) throw ApiError.fromRejection(denied);
    const table = uploadedTable(req);
    const today = new Date().toISOString().slice(0, 10);
    const result = await this.dukcapil.importExtract(table, principal.userId, today, { partial: q.partial === 'true' });
    const problems = result.imported ? result.rejected : result.problems;
    if (!result.imported) res.status(422);
    if (q.report === 'csv') return problemReportCsv(res, `laporan-impor-dukcapil-${today}`, problems);
    if (!result.imported)
      throw new ApiError(
        422,
        'EXTRACT_INVALID',
        { id: 'Ada baris yang tidak valid; tidak ada yang diimpor', en: 'Some rows are invalid; nothing was imported' },
        problems,
      );
    return result;
  }
}
