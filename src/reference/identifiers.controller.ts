import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Public } from '../auth/auth.guard';
import { Clock, CLOCK } from '../shared/clock';
import { checkKk, checkNik, IdentifierCheck } from './identifiers';
import { RegionDirectory } from './region-directory';

class IdentifierCheckDto {
  @ApiPropertyOptional({ example: '3204101203850001' })
  @IsOptional()
  @Matches(/^\d{0,16}$/, { message: 'nik: up to 16 digits' })
  nik?: string;

  @ApiPropertyOptional({ example: '3204100101200001' })
  @IsOptional()
  @Matches(/^\d{0,16}$/, { message: 'kk: up to 16 digits' })
  kk?: string;
}

/**
 * The structural checks of a NIK and a KK number (length, a real district, the birth date coded
 * in it), so a form can say at once what is wrong. Nothing is looked up in the population data.
 * A POST, so the numbers never appear in an address or an access log.
 */
@ApiTags('reference')
@Public()
@Controller('api/v1/identifiers')
export class IdentifiersController {
  constructor(
    private readonly regions: RegionDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('check')
  @HttpCode(200)
  @ApiOperation({ summary: 'Periksa format NIK dan nomor KK / check the format of a NIK and a KK number' })
  check(@Body() body: IdentifierCheckDto): { nik?: IdentifierCheck<object>; kk?: IdentifierCheck<object> } {
    const ctx = {
      districtExists: (code: string) => this.regions.get(code)?.level === 'kecamatan',
      today: this.clock.now().toISOString().slice(0, 10),
    };
    return {
      ...(body.nik !== undefined ? { nik: checkNik(body.nik, ctx) } : {}),
      ...(body.kk !== undefined ? { kk: checkKk(body.kk, ctx) } : {}),
    };
  }
}
