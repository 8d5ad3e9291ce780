import { Controller, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { authorizePermission } from '../auth/policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { SIGNAL_COLUMNS } from './signal-file';
import { Signals } from './signals.service';

@ApiTags('signals')
@ApiBearerAuth()
@Controller('api/v1/signals/imports')
export class SignalsController {
  constructor(private readonly signals: Signals) {}

  @Post()
  @ApiConsumes('text/csv')
  @ApiOperation({
    summary: `Impor sinyal lintas instansi (CSV: ${SIGNAL_COLUMNS.join(',')}); membuka kasus tinjauan, tidak mengubah status`,
  })
  async import(@CurrentPrincipal() principal: Principal, @Req() req: Request): Promise<object> {
    const denied = authorizePermission(principal, 'signals:import', '');
    if (denied) throw ApiError.fromRejection(denied);
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new ApiError(415, 'CSV_REQUIRED', {
        id: 'Kirim berkas CSV dengan Content-Type text/csv',
        en: 'Send a CSV file with Content-Type text/csv',
      });
    }
    const result = await this.signals.importCsv(req.body, principal, new Date().toISOString().slice(0, 10));
    if (!result.imported)
      throw new ApiError(
        422,
        'SIGNALS_INVALID',
        { id: 'Ada baris yang tidak valid; tidak ada yang diimpor', en: 'Some rows are invalid; nothing was imported' },
        result.problems,
      );
    return result;
  }
}
