import { Module } from '@nestjs/common';
import { ProgramsModule } from '../programs/programs.module';
import { RegistrationModule } from '../registration/registration.module';
import { AuditController } from './audit.controller';
import { AuditPages } from './audit.pages';
import { AuditTrails } from './audit.service';

@Module({ imports: [RegistrationModule, ProgramsModule], providers: [AuditTrails], controllers: [AuditController, AuditPages] })
export class AuditModule {}
