import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { RegistrationModule } from '../registration/registration.module';
import { ErasureEnforcer } from './erasure-enforcer';
import { ErasureController } from './erasure.controller';
import { ErasurePages } from './erasure.pages';
import { Erasures } from './erasure.service';
import { DecideErasureHandler, RequestErasureHandler } from './handlers/erasure-command.handlers';

const CommandHandlers = [RequestErasureHandler, DecideErasureHandler];

@Module({
  imports: [DocumentsModule, RegistrationModule],
  providers: [...CommandHandlers, Erasures, ErasureEnforcer],
  controllers: [ErasureController, ErasurePages],
  exports: [Erasures],
})
export class ErasureModule {}
