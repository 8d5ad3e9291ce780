import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Settings, SETTINGS } from '../config/settings.module';
import { dataSourceOptions } from './data-source';

/** TypeORM for the read models; migrations run at start. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [SETTINGS],
      useFactory: (s: Settings) => ({ ...dataSourceOptions(s.databaseUrl, 10), migrationsRun: true }),
    }),
  ],
})
export class DatabaseModule {}
