import { Module } from '@nestjs/common';
import { RegistryExtractController } from './registry-extract.controller';

@Module({ controllers: [RegistryExtractController] })
export class HouseholdModule {}
