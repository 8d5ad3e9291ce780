import { Client } from 'pg';
import { createStoreFixture, StoreFixture } from '../support/database';

describe('regions from idn-area-data, loaded by a migration', () => {
  let fx: StoreFixture;
  beforeAll(async () => {
    fx = await createStoreFixture();
  });
  afterAll(() => fx.close());

  it('holds 38 provinces, 514 regencies, 7,277 districts and 83,763 villages', async () => {
    const { rows } = await fx.pool.query('select level, count(*)::int as n from ref_regions group by level order by level');
    expect(Object.fromEntries(rows.map((r) => [r.level, r.n]))).toEqual({
      provinsi: 38,
      kabupaten: 514,
      kecamatan: 7277,
      desa: 83763,
    });
  });

  it('links every region to its parent and records the dataset version', async () => {
    const { rows } = await fx.pool.query(
      `select count(*)::int as n from ref_regions where level <> 'provinsi' and (parent_code is null or left(code, length(parent_code)) <> parent_code)`,
    );
    expect(rows[0].n).toBe(0);
    const version = await fx.pool.query(`select version from ref_dataset_versions where dataset = 'idn-area-data'`);
    expect(version.rows[0].version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is looked up by code and by name (index used)', async () => {
    const byCode = await fx.pool.query(`select name from ref_regions where code = '32.04'`);
    expect(byCode.rows[0].name).toMatch(/BANDUNG/i);
    const byName = await fx.pool.query(
      `select code from ref_regions where lower(name) like 'margaasih%' and level = 'kecamatan'`,
    );
    expect(byName.rows.map((r) => r.code)).toContain('32.04.10');
    const c = new Client(fx.url);
    await c.connect();
    await c.query('set enable_seqscan = off');
    const plan = await c.query(`explain select code from ref_regions where lower(name) like 'margaasih%'`);
    await c.end();
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('ref_regions_name');
  });
});
