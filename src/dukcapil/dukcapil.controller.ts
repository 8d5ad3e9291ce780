import { Controller, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { authorizePermission } from '../auth/policy';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { EXTRACT_COLUMNS } from './dukcapil-extract';
import { DukcapilService } from './dukcapil.service';

@ApiTags('dukcapil')
@ApiBearerAuth()
@Controller('api/v1/dukcapil/imports')
export class DukcapilController {
  constructor(private readonly dukcapil: DukcapilService) {}

  @Post()
  @ApiConsumes('text/csv')
  @ApiOperation({ summary: `Impor ekstrak Dukcapil (CSV: ${EXTRACT_COLUMNS.join(',')}); semua baris atau tidak sama sekali` })
  async import(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<object> {
    const denied = authorizePermission(principal, 'dukcapil:import', '');
    if (denied) throw ApiError.fromRejection(denied);
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new ApiError(415, 'CSV_REQUIRED', {
        id: 'Kirim berkas CSV dengan Content-Type text/csv',
        en: 'Send a CSV file with Content-Type text/csv',
      });
    }
    const result = await this.dukcapil.importCsv(req.body, principal.userId, new Date().toISOString().slice(0, 10));
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
