import { DataSource } from 'typeorm';
import { Cell, keysetPages, mapPages } from '../../src/tabular/tabular-export';

export const REGISTRY_EXTRACT_HEADER = [
  'id_rumah_tangga',
  'kode_desa',
  'aktif',
  'desil',
  'ditetapkan',
  'terakhir_diverifikasi',
  'kasus_verifikasi_ulang',
];

/** The registry's households in a region, in pages of 5,000 by id (bounded memory for any region). */
export function registryExtractPages(dataSource: DataSource, region: string): AsyncIterable<Cell[][]> {
  type Row = {
    household_id: string;
    village_code: string;
    active: boolean;
    desil: number;
    established_at: Date;
    last_verified_at: Date;
    reverification_case_id: string | null;
  };
  const pages = keysetPages(
    (after?: string) =>
      dataSource.query(
        `select household_id, village_code, active, desil, established_at, last_verified_at, reverification_case_id
         from households where ($1 = '' or village_code = $1 or village_code like $1 || '.%')
           and ($2::uuid is null or household_id > $2::uuid)
         order by household_id limit 5000`,
        [region, after ?? null],
      ) as Promise<Row[]>,
    (r: Row) => r.household_id,
  );
  return mapPages(pages, (r) => [
    r.household_id,
    r.village_code,
    r.active,
    r.desil,
    r.established_at.toISOString().slice(0, 10),
    r.last_verified_at.toISOString().slice(0, 10),
    r.reverification_case_id,
  ]);
}
