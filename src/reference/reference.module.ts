import { Global, Module } from '@nestjs/common';
import { ReferenceController } from './reference.controller';
import { RegionDirectory } from './region-directory';

@Global()
@Module({ providers: [RegionDirectory], controllers: [ReferenceController], exports: [RegionDirectory] })
export class ReferenceModule {}
