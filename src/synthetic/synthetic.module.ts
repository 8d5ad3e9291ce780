import { Module } from '@nestjs/common';
import { EligibilityModule } from '../eligibility/eligibility.module';
import { RegistrationModule } from '../registration/registration.module';
import { SyntheticPopulation } from './synthetic-population.service';

@Module({ imports: [RegistrationModule, EligibilityModule], providers: [SyntheticPopulation], exports: [SyntheticPopulation] })
export class SyntheticModule {}
