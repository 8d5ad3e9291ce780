import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { WorkQueuePages } from './work-queue.pages';
import { WorkQueueController } from './work-queue.controller';
import { WorkQueues } from './work-queue.service';

@Module({ imports: [AppealsModule], providers: [WorkQueues], controllers: [WorkQueueController, WorkQueuePages] })
export class WorkQueueModule {}
