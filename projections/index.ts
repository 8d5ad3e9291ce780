import { Projection } from '../src/projection-runner/projection';
import { StreamCatalogueEntry } from './stream-catalogue/stream-catalogue.entity';
import { StreamCatalogueProjection } from './stream-catalogue/stream-catalogue.projection';

/** Every read model's TypeORM entities, for the data source. */
export const readModelEntities: Function[] = [StreamCatalogueEntry];

/** Every projection the runner keeps up to date. */
export function createProjections(): Projection[] {
  return [new StreamCatalogueProjection()];
}
