import { Module } from '@nestjs/common';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { DashboardPages } from './dashboard.pages';
import { DashboardController } from './dashboard.controller';
import { Dashboard } from './dashboard.service';

@Module({ imports: [EligibilityModule], providers: [Dashboard], controllers: [DashboardController, DashboardPages] })
export class DashboardModule {}
