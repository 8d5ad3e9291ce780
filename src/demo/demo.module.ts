import { Module } from '@nestjs/common';
import { DukcapilModule } from '../dukcapil/dukcapil.module';
import { SyntheticModule } from '../synthetic/synthetic.module';
import { DemoData } from './demo-data';

@Module({ imports: [DukcapilModule, SyntheticModule], providers: [DemoData] })
export class DemoModule {}
