import request from 'supertest';
import { startTestApp } from '../support/app';

describe('public reference data over HTTP: regions and the PMT models', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  const http = () => request(ctx.app.getHttpServer());
  beforeAll(async () => (ctx = await startTestApp()));
  afterAll(() => ctx.close());

  it('counts every level as loaded from idn-area-data', async () => {
    const res = await http().get('/api/v1/regions/summary').expect(200);
    expect(res.body).toEqual({ provinsi: 38, kabupaten: 514, kecamatan: 7277, desa: 83763 });
  });

  it('lists the children of a region, filtered by name and paginated', async () => {
    const provinces = await http().get('/api/v1/regions?pageSize=100').expect(200);
    expect(provinces.body.total).toBe(38);
    const villages = await http().get('/api/v1/regions?parent=32.04.10&q=marga').expect(200);
    expect(villages.body.items).toEqual([{ code: '32.04.10.2001', level: 'desa', parentCode: '32.04.10', name: 'Margaasih' }]);
    const page2 = await http().get('/api/v1/regions?parent=32.04&page=2&pageSize=10').expect(200);
    expect(page2.body).toMatchObject({ page: 2, pageSize: 10 });
    expect(page2.body.items).toHaveLength(10);
  });

  it('looks a region up by code, with its ancestry, and by name across levels', async () => {
    const village = await http().get('/api/v1/regions/32.04.10.2001').expect(200);
    expect(village.body.ancestry.map((r: { code: string }) => r.code)).toEqual(['32', '32.04', '32.04.10', '32.04.10.2001']);
    const found = await http().get('/api/v1/regions/search?q=margaasih&level=kecamatan').expect(200);
    expect(found.body.items.map((r: { code: string }) => r.code)).toEqual(['32.04.10']);
  });

  it('answers unknown codes and bad queries clearly', async () => {
    expect((await http().get('/api/v1/regions/99.99').expect(404)).body.code).toBe('NOT_FOUND');
    expect((await http().get('/api/v1/regions?parent=abc').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await http().get('/api/v1/regions/search?q=ab').expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('publishes the PMT models (weights, cut-points, classes) and the indicators', async () => {
    const models = await http().get('/api/v1/eligibility/models').expect(200);
    expect(models.body[0]).toMatchObject({ version: '2026.1', eligibleUpToDesil: 5 });
    expect(models.body[0].desilCutPoints).toHaveLength(9);
    expect(models.body[0].classification).toHaveLength(10);
    const indicators = await http().get('/api/v1/eligibility/indicators').expect(200);
    expect(indicators.body.earthFloor.label.id).toBe('Lantai tanah');
  });
});
