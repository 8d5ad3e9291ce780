import { randomUUID } from 'node:crypto';
import { ERASED } from '../../src/event-store/crypto-shredding';
import { eventMac } from '../../src/event-store/integrity/keys';
import { createStoreFixture, StoreFixture, TEST_INTEGRITY_KEYS } from '../support/database';

/**
 * The crash class behind `members.map is not a function`: an erased structured field must decode
 * to a value of its shape (a list stays a list), never to the marker string.
 */
describe('codec: erased personal fields decode to safe shapes', () => {
  let fx: StoreFixture;
  beforeAll(async () => {
    fx = await createStoreFixture();
    fx.registry.register({
      type: 'Applied',
      schemaVersion: 1,
      personalData: {
        subject: (_: unknown, streamId: string) => streamId,
        fields: ['members', 'contact', 'head', 'kk', 'proposer'],
        erased: { head: { name: ERASED, nik: ERASED } },
      },
    });
  });
  afterAll(() => fx.close());

  const data = {
    members: [{ name: 'Sri Wahyuni', nik: '3204104211700004' }],
    contact: { phone: '0812' },
    head: { name: 'Sri Wahyuni', nik: '3204104211700004' },
    kk: '3204101506180002',
    desil: 2,
  };

  it('given the key is destroyed, lists read empty, objects empty or as declared, texts read [dihapus]; the rest stays', async () => {
    const stream = `case-${randomUUID()}`;
    await fx.store.append(stream, [{ type: 'Applied', data, metadata: {} }], { expectedVersion: 'no_stream' });
    expect((await fx.store.readStream(stream))[0].data).toEqual(data);
    await fx.keys.destroy(stream);
    const [erased] = await fx.store.readStream(stream);
    expect(erased.data).toEqual({ members: [], contact: {}, head: { name: ERASED, nik: ERASED }, kk: ERASED, desil: 2 });
    expect([...erased.erasedFields].sort()).toEqual(['contact', 'head', 'kk', 'members']);
    expect(() => (erased.data as typeof data).members.map((m) => m.name)).not.toThrow();
  });

  it('given an event stored before the kind was recorded, the declared shape still applies', async () => {
    const stream = `case-${randomUUID()}`;
    await fx.store.append(stream, [{ type: 'Applied', data, metadata: {} }], { expectedVersion: 'no_stream' });
    // What older rows look like: no `k` beside the ciphertext.
    await fx.dataSource.query(
      `update es_events set data = replace(replace(data, ',"k":"a"', ''), ',"k":"o"', '') where stream_id = $1`,
      [stream],
    );
    // Such rows were written (and MACed) by the app in that shape: re-MAC, or the read quarantines it.
    const [row] = await fx.dataSource.query(
      'select event_id, type, schema_version, data, metadata from es_events where stream_id = $1',
      [stream],
    );
    const content = {
      streamId: stream,
      eventId: row.event_id,
      type: row.type,
      schemaVersion: row.schema_version,
      dataJson: row.data,
      metadataJson: row.metadata,
    };
    await fx.dataSource.query('update es_events set mac = $2 where stream_id = $1', [
      stream,
      eventMac(TEST_INTEGRITY_KEYS.macKey, content),
    ]);
    await fx.keys.destroy(stream);
    const [erased] = await fx.store.readStream(stream);
    expect(erased.data).toMatchObject({ members: ERASED, contact: ERASED, head: { name: ERASED, nik: ERASED } });
  });
});
