import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { INDICATORS } from './indicators';
import { PmtModels } from './pmt-models';

/** The PMT indicators and every model version, public so that the rules are open to scrutiny. */
@Public()
@ApiTags('eligibility')
@Controller('api/v1/eligibility')
export class EligibilityController {
  constructor(private readonly models: PmtModels) {}

  @Get('indicators')
  indicators(): object {
    return INDICATORS;
  }

  @Get('models')
  @ApiOperation({ summary: 'Versi model PMT: bobot, titik potong desil, peta desil → klasifikasi / PMT model versions' })
  list(): object {
    return this.models.all();
  }
}
