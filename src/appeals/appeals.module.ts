import { Module } from '@nestjs/common';
import { RegistrationModule } from '../registration/registration.module';
import { AppealsController } from './appeals.controller';
import { Appeals } from './appeals.service';

@Module({ imports: [RegistrationModule], providers: [Appeals], controllers: [AppealsController], exports: [Appeals] })
export class AppealsModule {}
