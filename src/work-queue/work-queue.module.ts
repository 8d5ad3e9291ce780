import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { WorkQueueController } from './work-queue.controller';
import { WorkQueues } from './work-queue.service';

@Module({ imports: [AppealsModule], providers: [WorkQueues], controllers: [WorkQueueController] })
export class WorkQueueModule {}
