import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEMO_USERS } from '../../src/auth/demo-users';
import { application } from '../registration/fixtures';

export const DEMO_PASSWORD = 'demo-bansos-2026';

/** Tokens of the demo users, one per role, signed in through the API. */
export async function signIn(
  app: INestApplication,
  usernames = DEMO_USERS.map((u) => u.username),
): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const username of usernames) {
    const res = await request(app.getHttpServer())
      .post('/api/v1/auth/login')
      .send({ username, password: DEMO_PASSWORD })
      .expect(200);
    tokens[username] = res.body.accessToken;
  }
  return tokens;
}

/** Small files whose first bytes match their type, each different (content-addressed). */
export const files = {
  jpeg: (n = 0): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`jpeg-${n}`)]),
  pdf: (n = 0): Buffer => Buffer.from(`%PDF-1.4 document ${n}`),
  png: (n = 0): Buffer => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`png-${n}`)]),
};

/** The demo Dukcapil household of Budi Santoso (src/demo/dukcapil-demo.csv), as a draft body. */
export function budiHousehold(channel = 'ONLINE', overrides: Record<string, unknown> = {}): object {
  return { channel, application: { ...application(), ...overrides } };
}

/** The demo Dukcapil household of Sri Wahyuni and her son (same village as Budi's), as a draft body. */
export function sriHousehold(channel = 'KANTOR_DESA'): object {
  return budiHousehold(channel, {
    kkNumber: '3204101506180002',
    members: [
      {
        nik: '3204104211700004',
        fullName: 'Sri Wahyuni',
        birthDate: '1970-11-02',
        sex: 'P',
        relation: 'KEPALA_KELUARGA',
        maritalStatus: 'CERAI_MATI',
      },
      {
        nik: '3204103004120005',
        fullName: 'Andi Saputra',
        birthDate: '2012-04-30',
        sex: 'L',
        relation: 'ANAK',
        maritalStatus: 'BELUM_KAWIN',
      },
    ],
  });
}

/** The demo Dukcapil household of Hendra Gunawan, who lives alone (same village), as a draft body. */
export function hendraHousehold(channel = 'KANTOR_DESA'): object {
  return budiHousehold(channel, {
    kkNumber: '3204100203190003',
    members: [
      {
        nik: '3204101501800006',
        fullName: 'Hendra Gunawan',
        birthDate: '1980-01-15',
        sex: 'L',
        relation: 'KEPALA_KELUARGA',
        maritalStatus: 'KAWIN',
      },
    ],
  });
}

/** Polls until `check` stops throwing (read models are eventually consistent). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Every event matching the filter, reading the whole store batch by batch. Right after a write the
 * newest commit can stay invisible for a moment (the gap-safe rule waits for older open
 * transactions, such as a projection's batch), so a caller that knows how many to expect waits.
 */
export async function readEverything(
  store: import('../../src/event-store/port').EventStore,
  filter: import('../../src/event-store/port').EventFilter,
  atLeast = 0,
): Promise<import('../../src/event-store/envelope').RecordedEvent[]> {
  return eventually(async () => {
    const all: import('../../src/event-store/envelope').RecordedEvent[] = [];
    for (let from = { commit: 0n, prepare: 0n }; ;) {
      const batch = await store.readAll({ from, filter, limit: 1000 });
      all.push(...batch.events);
      from = batch.position;
      if (batch.isEnd) break;
    }
    if (all.length < atLeast) throw new Error(`expected at least ${atLeast} events, saw ${all.length}`);
    return all;
  });
}

/**
 * Runs a stopped runner's first projection by hand until it has passed `position`. One catch-up
 * can end short of a fresh commit: the gap-safe rule keeps it invisible while an older
 * transaction (a projection's batch, say) is still open.
 */
export async function catchUpPast(
  runner: import('../../src/projection-runner/projection-runner').ProjectionRunner,
  position: string,
): Promise<void> {
  const target = (await import('../../src/event-store/position')).parsePosition(position)!;
  const projection = runner.projections[0];
  await eventually(async () => {
    await runner.catchUp(projection);
    await runner.waitFor(target, { timeoutMs: 0, projections: [projection.name] });
  }, 10_000);
}
