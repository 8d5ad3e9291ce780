import { Module } from '@nestjs/common';
import { DukcapilModule } from '../dukcapil/dukcapil.module';
import { DemoData } from './demo-data';

@Module({ imports: [DukcapilModule], providers: [DemoData] })
export class DemoModule {}
