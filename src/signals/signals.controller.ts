import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { authorizePermission } from '../auth/policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { SIGNAL_COLUMNS } from './signal-file';
import { Signals } from './signals.service';

class RevertDto {
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  reason!: string;
}

@ApiTags('signals')
@ApiBearerAuth()
@Controller('api/v1/signals/imports')
export class SignalsController {
  constructor(private readonly signals: Signals) {}

  @Post(':importId/reversal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Batalkan impor sinyal: tarik kasus tinjauan yang masih terbuka (dengan alasan) / revert an import' })
  async revert(
    @CurrentPrincipal() principal: Principal,
    @Param('importId', UuidPipe) importId: string,
    @Body() body: RevertDto,
  ): Promise<object> {
    const denied = authorizePermission(principal, 'signals:import', '');
    if (denied) throw ApiError.fromRejection(denied);
    return this.signals.revert(importId, principal, body.reason);
  }

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
