import { Module } from '@nestjs/common';
import { DukcapilController } from './dukcapil.controller';
import { DukcapilService } from './dukcapil.service';

@Module({ providers: [DukcapilService], controllers: [DukcapilController], exports: [DukcapilService] })
export class DukcapilModule {}
