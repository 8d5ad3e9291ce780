import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { migrations } from '../../migrations';
import { readModelEntities } from '../../projections';

/** The TypeORM options for read models and migrations. Schema changes only via migrations. */
export function dataSourceOptions(url: string, poolSize = 10): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url,
    entities: readModelEntities,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize },
  };
}

/** Connects and brings the schema up to date. */
export async function openDatabase(url: string, poolSize?: number): Promise<DataSource> {
  const ds = await new DataSource(dataSourceOptions(url, poolSize)).initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
