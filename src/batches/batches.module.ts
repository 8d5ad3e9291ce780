import { Module } from '@nestjs/common';
import { ProgramsModule } from '../programs/programs.module';
import { RegistrationModule } from '../registration/registration.module';
import { StatusChangesModule } from '../status-changes/status-changes.module';
import { BatchesController } from './batches.controller';
import { BatchReversals } from './batch-reversals.service';

@Module({
  imports: [StatusChangesModule, RegistrationModule, ProgramsModule],
  providers: [BatchReversals],
  controllers: [BatchesController],
})
export class BatchesModule {}
