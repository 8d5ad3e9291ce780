import { EntityManager } from 'typeorm';

/** Quotes an identifier for SQL. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates an empty copy of each live table in `schema`, with the same column definitions,
 * constraints and index names, so that after the swap the tables look exactly as the
 * migrations left them (later migrations may name those indexes).
 */
export async function createShadowTables(q: EntityManager, schema: string, tables: readonly string[]): Promise<void> {
  await q.query(`drop schema if exists ${ident(schema)} cascade`);
  await q.query(`create schema ${ident(schema)}`);
  for (const table of tables) {
    const shadow = `${ident(schema)}.${ident(table)}`;
    await q.query(
      `create table ${shadow} (like public.${ident(table)} including defaults including identity
         including generated including storage including comments)`,
    );
    const constraints: { name: string; def: string }[] = await q.query(
      `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
       where conrelid = $1::regclass and contype in ('p', 'u', 'c', 'x') order by contype = 'p' desc, conname`,
      [`public.${ident(table)}`],
    );
    for (const c of constraints) await q.query(`alter table ${shadow} add constraint ${ident(c.name)} ${c.def}`);
    const indexes: { def: string }[] = await q.query(
      `select indexdef as def from pg_indexes i where schemaname = 'public' and tablename = $1
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.conrelid = $2::regclass)`,
      [table, `public.${ident(table)}`],
    );
    for (const i of indexes) await q.query(i.def.replace(/ ON \S+ USING /, ` ON ${shadow} USING `));
  }
}

/** Replaces the live tables with the shadow ones, inside the caller's transaction. */
export async function swapInShadowTables(q: EntityManager, schema: string, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    await q.query(`drop table public.${ident(table)}`);
    await q.query(`alter table ${ident(schema)}.${ident(table)} set schema public`);
  }
  await q.query(`drop schema ${ident(schema)} cascade`);
}
