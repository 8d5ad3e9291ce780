import { Module } from '@nestjs/common';
import { ProgramsModule } from '../programs/programs.module';
import { RegistrationModule } from '../registration/registration.module';
import { AuditController } from './audit.controller';
import { AuditPages } from './audit.pages';
import { AuditTrails } from './audit.service';
import { IntegrityController } from './integrity.controller';
import { RegionTrails } from './region-trail';

@Module({
  imports: [RegistrationModule, ProgramsModule],
  providers: [AuditTrails, RegionTrails],
  controllers: [AuditController, AuditPages, IntegrityController],
})
export class AuditModule {}
