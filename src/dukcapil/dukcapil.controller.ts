import { Controller, Post, Query, Req } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { EXTRACT_COLUMNS } from './dukcapil-extract';
import { DukcapilService } from './dukcapil.service';

class ExtractImportQuery {
  /** `true`: import the good rows and report the bad ones (by line and column) instead of refusing the file. */
  @IsOptional()
  @IsIn(['true', 'false'])
  partial?: 'true' | 'false';
}

@ApiTags('dukcapil')
@ApiBearerAuth()
@Controller('api/v1/dukcapil/imports')
export class DukcapilController {
  constructor(private readonly dukcapil: DukcapilService) {}

  @Post()
  @ApiConsumes('text/csv')
  @ApiOperation({
    summary: `Impor ekstrak Dukcapil (CSV: ${EXTRACT_COLUMNS.join(',')}); semua baris atau tidak sama sekali, atau dengan ?partial=true baris yang baik masuk dan yang salah dilaporkan / all rows or none; with partial=true the good rows go in`,
  })
  async import(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Query() q: ExtractImportQuery): Promise<object> {
    const denied = authorizePermission(principal, 'dukcapil:import', '');
    if (denied) throw ApiError.fromRejection(denied);
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new ApiError(415, 'CSV_REQUIRED', {
        id: 'Kirim berkas CSV dengan Content-Type text/csv',
        en: 'Send a CSV file with Content-Type text/csv',
      });
    }
    const partial = q.partial === 'true';
    const result = await this.dukcapil.importCsv(req.body, principal.userId, new Date().toISOString().slice(0, 10), undefined, {
      partial,
    });
    if (!result.imported) {
      throw new ApiError(
        422,
        'EXTRACT_INVALID',
        { id: 'Ada baris yang tidak valid; tidak ada yang diimpor', en: 'Some rows are invalid; nothing was imported' },
        result.problems,
      );
    }
    return result;
  }
}
