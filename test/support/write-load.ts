import { DEMO_PASSWORD, budiHousehold } from './api';

/** mulberry32: a small seeded generator, so a failing run can be replayed from its printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from the environment (to replay a run) or a fresh one; always printed. */
export function seedFrom(variable: string, label: string): number {
  const given = process.env[variable];
  const seed = given ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  process.stdout.write(`${label}: seed ${seed} (replay with ${variable}=${seed})\n`);
  return seed;
}

const VILLAGE = '32.04.10.2001';
const MAX_PEOPLE = 9999; // a NIK's serial has four digits

/**
 * Households of one to three people (a head born 1980, children born 2010), each person with a
 * NIK no one else has. A submit of a household claims every member's NIK in the same append as
 * the case's own events: a multi-stream write that must be all or nothing.
 */
export class HouseholdPlan {
  readonly sizes: number[] = [];
  private readonly firstPerson: number[] = [];

  constructor(random: () => number) {
    let people = 0;
    while (people + 3 <= MAX_PEOPLE) {
      const size = 1 + Math.floor(random() * 3);
      this.firstPerson.push(people);
      this.sizes.push(size);
      people += size;
    }
  }

  get count(): number {
    return this.sizes.length;
  }

  /** The population-registry extract the automatic checks at submit compare with. */
  extractCsv(): string {
    const rows = ['nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa'];
    for (let h = 0; h < this.count; h++)
      for (let m = 0; m < this.sizes[h]; m++) {
        const p = this.firstPerson[h] + m;
        rows.push(`${nik(p, m)},${kk(h)},WARGA ${p},${m === 0 ? '1980-01-01' : '2010-01-01'},L,${VILLAGE}`);
      }
    return rows.join('\n');
  }

  body(h: number): object {
    const members = Array.from({ length: this.sizes[h] }, (_, m) => {
      const p = this.firstPerson[h] + m;
      return m === 0
        ? {
            nik: nik(p, 0),
            fullName: `Warga ${p}`,
            birthDate: '1980-01-01',
            sex: 'L',
            relation: 'KEPALA_KELUARGA',
            maritalStatus: 'KAWIN',
          }
        : {
            nik: nik(p, m),
            fullName: `Warga ${p}`,
            birthDate: '2010-01-01',
            sex: 'L',
            relation: 'ANAK',
            maritalStatus: 'BELUM_KAWIN',
          };
    });
    return budiHousehold('KANTOR_DESA', { kkNumber: kk(h), members });
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const serial = (n: number) => String(n + 1).padStart(4, '0');
const nik = (person: number, member: number) => `320410${member === 0 ? '010180' : '010110'}${serial(person)}`;
const kk = (h: number) => `320410020220${serial(h)}`;

export async function signInOver(base: string, username: string): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

export async function importExtract(base: string, plan: HouseholdPlan): Promise<void> {
  const res = await fetch(`${base}/api/v1/dukcapil/imports`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${await signInOver(base, 'admin')}` },
    body: plan.extractCsv(),
  });
  if (res.status !== 201) throw new Error(`extract import: ${res.status} ${await res.text()}`);
}

/** What the writers were told: drafts answered (case → household size) and submits answered. */
export class Acknowledged {
  readonly drafts = new Map<string, number>();
  readonly submits = new Set<string>();
  /** Answers that are neither success nor a plain refusal (503): each one is a bug. */
  readonly unexpected: string[] = [];
}

/**
 * Writers that register and submit households over HTTP until stopped. A refusal (503) or a
 * connection error means "not answered": the writer moves on to the next household. With
 * `stopOnConnectionLoss` a writer stops when the app itself is gone (the app-crash test).
 */
export class WriteLoad {
  private next = 0;
  private running = true;
  private readonly writers: Promise<void>[];
  private waiters: Array<() => void> = [];

  constructor(
    private readonly base: string,
    private readonly plan: HouseholdPlan,
    private readonly token: string,
    readonly acknowledged: Acknowledged,
    writers: number,
    private readonly options: { stopOnConnectionLoss: boolean; firstHousehold: number },
  ) {
    this.next = options.firstHousehold;
    this.writers = Array.from({ length: writers }, () => this.writer());
  }

  /** The next household not yet tried (to continue after a restart without reusing a NIK). */
  get nextHousehold(): number {
    return this.next;
  }

  /** Resolves once `n` submits in total have been answered (or throws at the deadline). */
  async untilSubmits(n: number, deadlineMs: number): Promise<void> {
    const end = Date.now() + deadlineMs;
    while (this.acknowledged.submits.size < n) {
      if (Date.now() > end)
        throw new Error(`only ${this.acknowledged.submits.size} of ${n} submits answered in ${deadlineMs} ms`);
      if (!this.running) throw new Error(`the writers stopped after ${this.acknowledged.submits.size} answered submits`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.writers);
  }

  /** Resolves when every writer has stopped by itself (the app died under them). */
  finished(): Promise<void> {
    return Promise.all(this.writers).then(() => undefined);
  }

  private post(path: string, body: object): Promise<Response> {
    return fetch(`${this.base}/api/v1/registrations${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  }

  private async writer(): Promise<void> {
    while (this.running && this.next < this.plan.count) {
      const h = this.next++;
      try {
        const created = await this.post('', this.plan.body(h));
        if (created.status !== 201) {
          await this.refused(created.status, `draft ${h}`, await created.text());
          continue;
        }
        const { caseId } = (await created.json()) as { caseId: string };
        this.acknowledged.drafts.set(caseId, this.plan.sizes[h]);
        const submitted = await this.post(`/${caseId}/submit`, {});
        const outcome = (await submitted.json().catch(() => ({}))) as { status?: string };
        if (submitted.status !== 200) {
          await this.refused(submitted.status, `submit ${h}`, JSON.stringify(outcome));
          continue;
        }
        if (outcome.status !== 'PEMERIKSAAN_DOKUMEN')
          this.acknowledged.unexpected.push(`submit ${h}: ${JSON.stringify(outcome)}`);
        else this.acknowledged.submits.add(caseId);
        for (const wake of this.waiters.splice(0)) wake();
      } catch {
        // No answer: the connection broke (the app died) or the request timed out.
        if (this.options.stopOnConnectionLoss) {
          this.running = false;
          for (const wake of this.waiters.splice(0)) wake();
          return;
        }
        await pause(100); // the app is restarting: do not spin
      }
    }
  }

  private async refused(status: number, what: string, text: string): Promise<void> {
    if (status !== 503) this.acknowledged.unexpected.push(`${what}: ${status} ${text.slice(0, 300)}`);
    else await pause(100); // the database is coming back: do not burn through the households
  }
}
