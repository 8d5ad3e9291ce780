import { Module } from '@nestjs/common';
import { EligibilityController } from './eligibility.controller';
import { PmtModels } from './pmt-models';

@Module({
  providers: [{ provide: PmtModels, useFactory: () => new PmtModels() }],
  controllers: [EligibilityController],
  exports: [PmtModels],
})
export class EligibilityModule {}
