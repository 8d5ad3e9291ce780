import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { authorizePermission } from '../auth/policy';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { ApiError } from '../shared/http/api-error';
import { UuidPipe } from '../shared/http/uuid.pipe';
import { BatchReversals, BatchTarget, Reversal } from './batch-reversals.service';

class RevertBatchDto {
  @ApiProperty({ example: 'Berkas sinyal keliru (salah periode)' })
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  reason!: string;
}

/** Batches: a signal import, a verval batch approval, a quota change. Traced by id, reverted by compensation. */
@ApiTags('batches')
@ApiBearerAuth()
@Controller('api/v1/batches')
export class BatchesController {
  constructor(private readonly reversals: BatchReversals) {}

  @Get(':batchId')
  @ApiOperation({ summary: 'Apa yang diubah sebuah batch (per aliran) / what a batch touched' })
  async get(@CurrentPrincipal() p: Principal, @Param('batchId', UuidPipe) batchId: string): Promise<{ targets: BatchTarget[] }> {
    this.check(p);
    return { targets: await this.reversals.targets(batchId) };
  }

  @Post(':batchId/reversal')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Batalkan batch dengan peristiwa kompensasi dan alasan (bukan edit); yang sudah berubah sejak itu didaftar / revert a batch',
  })
  revert(
    @CurrentPrincipal() p: Principal,
    @Param('batchId', UuidPipe) batchId: string,
    @Body() body: RevertBatchDto,
  ): Promise<Reversal> {
    this.check(p);
    return this.reversals.revert(batchId, p, body.reason);
  }

  private check(p: Principal): void {
    const denied = authorizePermission(p, 'batches:revert', '');
    if (denied) throw ApiError.fromRejection(denied);
  }
}
