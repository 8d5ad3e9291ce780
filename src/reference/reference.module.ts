import { Global, Module } from '@nestjs/common';
import { IdentifiersController } from './identifiers.controller';
import { ReferenceController } from './reference.controller';
import { RegionDirectory } from './region-directory';

@Global()
@Module({ providers: [RegionDirectory], controllers: [ReferenceController, IdentifiersController], exports: [RegionDirectory] })
export class ReferenceModule {}
