import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { readModelEntities } from '../../projections';

/** The TypeORM data source for read models and migrations. Schema changes only via migrations. */
export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: readModelEntities,
    migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
    extra: { max: poolSize },
  });
}

/** Connects and brings the schema up to date. */
export async function openDatabase(url: string, poolSize?: number): Promise<DataSource> {
  const ds = await createDataSource(url, poolSize).initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
