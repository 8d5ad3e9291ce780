import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditTrails } from './audit.service';

@Module({ providers: [AuditTrails], controllers: [AuditController] })
export class AuditModule {}
