import { Module } from '@nestjs/common';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { DashboardController } from './dashboard.controller';
import { Dashboard } from './dashboard.service';

@Module({ imports: [EligibilityModule], providers: [Dashboard], controllers: [DashboardController] })
export class DashboardModule {}
