/** Every read model's TypeORM entities, for the data source. */
export const readModelEntities: Function[] = [];
