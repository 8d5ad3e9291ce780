/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { periodOf } from '../../src/programs/program-rules';
import { budiHousehold, DEMO_PASSWORD, eventually, files, signIn } from '../support/api';
import { startTestApp } from '../support/app';
import { openCasesOn } from '../support/flows';

/**
 * The web application in a real browser (Debian's Chromium driven by playwright-core), against the
 * app on the embedded PostgreSQL: a citizen registers online, staff take the case to establishment
 * through the pages, the citizen sees it in Cek Bansos, an auditor reads why, another region is
 * refused. Each main page is saved under test-results/ to be looked at.
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../../test-results');
const VILLAGE = '32.04.10.2001';
const HENDRA = { nik: '3204101501800006', kk: '3204100203190003', name: 'Hendra Gunawan', birthDate: '1980-01-15' };
const POOR_ANSWERS: Record<string, string> = {
  floorAreaPerPersonM2: '6',
  earthFloor: '1',
  poorWalls: '1',
  noCleanWater: '1',
  noPrivateToilet: '1',
  electricityUnder900VA: '1',
  headUnemployed: '1',
  monthlyIncomeMillions: '1',
  headNoSecondarySchool: '1',
};

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const available = fs.existsSync(CHROMIUM);
if (!available) console.warn(`Browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it).`);
const describeInBrowser = available ? describe : describe.skip;

describeInBrowser('the web application in a browser', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let base: string;
  let browser: Browser;
  let tokens: Record<string, string>;
  let pngPhoto: Buffer;
  let registrationNumber: string;
  let caseId: string;
  const pageErrors: string[] = [];
  const pdf = (n: number) => ({
    name: `dokumen-${n}.pdf`,
    mimeType: 'application/pdf',
    buffer: Buffer.from(`%PDF-1.4 berkas uji ${n}`),
  });
  const photo = (n: number) => ({
    name: `foto-${n}.png`,
    mimeType: 'image/png',
    buffer: Buffer.concat([pngPhoto, Buffer.from([n])]),
  });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ctx = await startTestApp({ CAPTCHA_MAX_NUMBER: '2000' });
    await ctx.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(ctx.app.getHttpServer().address() as AddressInfo).port}`;
    tokens = await signIn(ctx.app, ['kemensos', 'admin', 'operator.desa']);
    const api = () => request(ctx.app.getHttpServer());
    const period = periodOf(new Date().toISOString().slice(0, 10));
    // Hendra lives alone: no PKH component, but poor enough for the food aid card (BPNT, desil 1–4).
    await api()
      .put(`/api/v1/programs/BPNT/quotas/32.04/${period}`)
      .set('Authorization', `Bearer ${tokens.kemensos}`)
      .send({ quota: 5 })
      .expect(200);
    await api()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${tokens.admin}`)
      .send({
        username: 'operator.kota',
        displayName: 'Operator Kota Bandung',
        password: DEMO_PASSWORD,
        role: 'operator_desa',
        regionCode: '32.73.01.1001',
      })
      .expect(201);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const scratch = await browser.newPage({ viewport: { width: 320, height: 200 } });
    await scratch.setContent(
      '<body style="margin:0;background:linear-gradient(135deg,#c9a36b,#6b8e23)"><h1 style="font:32px sans-serif;color:#fff;padding:40px">Rumah</h1></body>',
    );
    pngPhoto = await scratch.screenshot();
    await scratch.close();
  }, 120_000);

  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  /**
   * A page whose script errors fail the test (a broken page is not "present"), and so does any
   * violation of the Content Security Policy (Chromium reports each; the init script echoes the
   * DOM's event too) and any page of ours served without the policy.
   */
  async function newPage(context?: BrowserContext, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = context ? await context.newPage() : await (await browser.newContext({ viewport })).newPage();
    if (context) await page.setViewportSize(viewport);
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) pageErrors.push(`CSP on ${page.url()}: ${msg.text()}`);
    });
    page.on('response', (res) => {
      if (res.request().resourceType() === 'document' && res.url().startsWith(base) && !res.headers()['content-security-policy'])
        pageErrors.push(`no CSP on ${res.url()}`);
    });
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(
          `Content Security Policy violation: ${e.effectiveDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`,
        ),
      ),
    );
    return page;
  }

  async function signedIn(username: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await newPage(undefined, viewport);
    await page.goto(`${base}/masuk`);
    await page.fill('#username', username);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(/\/(konsol|audit)/), page.click('button[type=submit]')]);
    return page;
  }

  /** Saves the page for a person to look at, and checks it with axe (WCAG 2 A/AA: no serious or critical violation). */
  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    // Evaluated through the debugging protocol: a <script> tag of ours would be an inline script the CSP blocks.
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run(
              ctx: Document,
              o: object,
            ): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }>;
          };
        }
      ).axe;
      const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id}: ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')}`,
        );
    });
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
  }

  async function chooseVillage(page: Page, code = VILLAGE): Promise<void> {
    const parts = code.split('.');
    const ids = ['#wilayah-provinsi', '#wilayah-kabupaten', '#wilayah-kecamatan', '#wilayah-desa'];
    for (let i = 0; i < ids.length; i++) {
      const value = parts.slice(0, i + 1).join('.');
      await page.waitForSelector(`${ids[i]} option[value="${value}"]`, { state: 'attached' });
      await page.selectOption(ids[i], value);
    }
  }

  /** Clicks a form's button and waits for the page the form's script loads next. */
  async function act(page: Page, formSelector: string, button: string): Promise<void> {
    const form = page.locator(formSelector);
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: button, exact: true }).click()]);
  }

  async function statusOf(page: Page): Promise<string | null> {
    return page.locator('[data-status]').first().getAttribute('data-status');
  }

  it('a citizen registers online: live NIK/KK checks, saves a draft, resumes it, uploads documents and submits', async () => {
    const page = await newPage();
    await page.goto(`${base}/daftar`);
    await chooseVillage(page);
    await page.fill('#address', 'Kp. Sukamaju RT 02/RW 05');
    await page.fill('#kk', '9999999999999999');
    await page.fill('#phone', '+6281299887766');
    await expect(page.locator('#kk + .field-error').textContent()).resolves.toMatch(/kecamatan/i);
    await page.fill('#kk', HENDRA.kk);
    await page.locator('#phone').focus();
    await page.locator('#kk + .field-error').waitFor({ state: 'detached' });
    await page.click('#lanjut');
    await page.fill('#m0-nik', HENDRA.nik);
    await page.fill('#m0-fullName', HENDRA.name);
    await page.fill('#m0-birthDate', HENDRA.birthDate);
    await page.selectOption('#m0-sex', 'L');
    await page.click('#simpan');
    const resumeLink = await page.locator('#tautan-lanjut').getAttribute('href');
    expect(resumeLink).toMatch(/\/daftar\/lanjut#[0-9a-f-]{36}\.[\w-]{20,}$/);
    await shot(page, '01-daftar-draf');

    const resumed = await newPage(undefined, { width: 390, height: 844 });
    await resumed.goto(resumeLink!);
    await resumed.waitForFunction((v) => (document.querySelector('#m0-nik') as HTMLInputElement | null)?.value === v, HENDRA.nik);
    await resumed.waitForFunction((v) => (document.querySelector('#wilayah-desa') as HTMLSelectElement).value === v, VILLAGE);
    expect(await resumed.inputValue('#address')).toBe('Kp. Sukamaju RT 02/RW 05');
    await resumed.click('#lanjut');
    await resumed.click('#lanjut');
    for (const [name, value] of Object.entries(POOR_ANSWERS)) {
      const field = resumed.locator(`#ind-${name}`);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await resumed.click('#lanjut');
    const upload = async (kind: string, files: Array<ReturnType<typeof pdf>>) => {
      await resumed.setInputFiles(`input[data-kind="${kind}"]`, files);
      await resumed
        .locator(`label[for="${await resumed.locator(`input[data-kind="${kind}"]`).getAttribute('id')}"]`, { hasText: '✓' })
        .waitFor();
    };
    await upload('KTP', [photo(1)]);
    await upload('KK', [pdf(2)]);
    await upload('BUKTI_PENGHASILAN', [pdf(3)]);
    await upload('FOTO_RUMAH', [photo(4), photo(5)]);
    await shot(resumed, '02-daftar-dokumen-ponsel');
    await resumed.click('#lanjut');
    await resumed.check('#setuju');
    await resumed.click('#ajukan');
    await resumed.locator('#selesai').waitFor();
    registrationNumber = (await resumed.locator('#nomor-pendaftaran').textContent())!;
    expect(registrationNumber).toMatch(/^REG-3204102001-\d{6}-[0-9A-Z]{6}$/);
    await shot(resumed, '03-daftar-selesai');
    caseId = await eventually(async () => {
      const list = await request(ctx.app.getHttpServer())
        .get('/api/v1/registrations')
        .set('Authorization', `Bearer ${tokens['operator.desa']}`)
        .expect(200);
      const found = list.body.items.find((c: { registrationNumber: string }) => c.registrationNumber === registrationNumber);
      expect(found?.status).toBe('PEMERIKSAAN_DOKUMEN');
      return found.caseId as string;
    });
  }, 120_000);

  it('the village operator, the social worker, the social office and the approval chain take it to establishment through the pages', async () => {
    const operator = await signedIn('operator.desa');
    await operator.waitForSelector(`a[href="/konsol/pendaftaran/${caseId}"]`);
    await shot(operator, '04-antrean-operator');
    await Promise.all([
      operator.waitForURL(`**/konsol/pendaftaran/${caseId}`),
      operator.click(`a[href="/konsol/pendaftaran/${caseId}"]`),
    ]);
    await shot(operator, '05-kasus-pemeriksaan-dokumen');
    // Only the actions the state machine gives this role here, and nothing of the later stages.
    const offered = await operator.locator('form[data-api] h3').allTextContents();
    expect(offered).toEqual(['Pemeriksaan kelengkapan dokumen']);

    // A second tab still shows the old version: its decision is refused and it says what changed.
    const stale = await newPage(operator.context());
    await stale.goto(`${base}/konsol/pendaftaran/${caseId}`);
    await act(operator, 'form[data-api$="/document-check"]', 'Dokumen lengkap');
    expect(await statusOf(operator)).toBe('VALIDASI');
    await stale.locator('form[data-api$="/document-check"]').getByRole('button', { name: 'Dokumen lengkap' }).click();
    await expect(stale.locator('[data-form-status]').textContent()).resolves.toBeDefined();
    await stale.locator('[data-form-status]', { hasText: 'diubah oleh petugas lain' }).waitFor();
    await stale.locator('[data-form-status]', { hasText: 'Validasi data' }).waitFor();
    await shot(stale, '06-konflik-versi');

    await operator.check('form[data-api$="/validation"] input[name=fieldVisitRequired]');
    await act(operator, 'form[data-api$="/validation"]', 'Data valid');
    expect(await statusOf(operator)).toBe('VERIFIKASI_LAPANGAN');

    const socialWorker = await signedIn('pendamping', { width: 390, height: 844 });
    await socialWorker.goto(`${base}/konsol/pendaftaran/${caseId}`);
    await socialWorker.setInputFiles('form[data-api$="/field-verification"] input[data-evidence]', [photo(6)]);
    await socialWorker.fill('#fv-notes', 'Rumah semi permanen, lantai tanah.');
    await shot(socialWorker, '07-verifikasi-lapangan-ponsel');
    await act(socialWorker, 'form[data-api$="/field-verification"]', 'Catat hasil verifikasi lapangan');
    expect(await statusOf(socialWorker)).toBe('ANALISIS_KELAYAKAN');

    const dinsos = await signedIn('dinsos');
    await dinsos.goto(`${base}/konsol/pendaftaran/${caseId}`);
    await act(dinsos, 'form[data-api$="/eligibility-assessment"]', 'Jalankan analisis kelayakan (PMT)');
    expect(await statusOf(dinsos)).toBe('MENUNGGU_MUSDES');

    // The village deliberation decides the period's list at once, with its minutes as evidence.
    await eventually(async () => {
      // The preview reads the case list, a read model: it may trail the assessment by a moment.
      await operator.goto(`${base}/konsol/persetujuan?action=decideMusdes&regionCode=${VILLAGE}`);
      await operator.locator('h2', { hasText: '1 kasus menunggu' }).waitFor({ timeout: 500 });
    }, 10_000).catch(async (err) => {
      await shot(operator, '08-persetujuan-gagal');
      throw err;
    });
    await operator.setInputFiles('#b-evidence', [pdf(7)]);
    await shot(operator, '08-persetujuan-musdes');
    await operator.getByRole('button', { name: /Setujui semua/ }).click();
    await operator.locator('.success', { hasText: 'Keputusan tercatat' }).waitFor();

    for (const [user, api, button, next] of [
      ['dinsos', '/regency-decision', 'Setujui', 'MENUNGGU_PROVINSI'],
      ['verifikator.provinsi', '/province-decision', 'Setujui', 'MENUNGGU_PENETAPAN'],
      ['kemensos', '/establishment', 'Setujui', 'DITETAPKAN'],
    ]) {
      const page = user === 'dinsos' ? dinsos : await signedIn(user);
      await page.goto(`${base}/konsol/pendaftaran/${caseId}`);
      await act(page, `form[data-api$="${api}"]`, button);
      expect(await statusOf(page)).toBe(next);
    }
    await shot(dinsos, '09-kasus-ditetapkan');
  }, 180_000);

  it('the citizen checks the status and sees "Terdaftar sebagai Penerima"; the number tracks to Ditetapkan', async () => {
    const page = await newPage(undefined, { width: 390, height: 844 });
    await eventually(async () => {
      await page.goto(`${base}/cek-bansos`);
      await chooseVillage(page);
      await page.fill('#name', '  hendra   GUNAWAN ');
      await page.click('altcha-widget input[type=checkbox]');
      await page.waitForSelector('altcha-widget [data-state="verified"]');
      await Promise.all([page.waitForEvent('load'), page.click('form button[type=submit]')]);
      await page.locator('.result.PENERIMA').waitFor({ timeout: 1000 });
    }, 30_000);
    const result = (await page.locator('.result').textContent())!;
    expect(result).toContain('Terdaftar sebagai Penerima');
    expect(result).toContain('BPNT');
    expect(result).not.toContain(HENDRA.nik);
    await shot(page, '10-cek-bansos-penerima-ponsel');

    await page.goto(`${base}/cek-bansos/pendaftaran?nomor=${registrationNumber}`);
    expect(await page.locator('[data-stage]').getAttribute('data-stage')).toBe('DITETAPKAN');
    await shot(page, '11-lacak-pendaftaran');

    await page.click('a.lang');
    await page.waitForURL(/\/cek-bansos\/pendaftaran/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Track a registration');
  }, 60_000);

  it('an auditor finds the household by NIK and reads why it receives BPNT, back in time, and the access log', async () => {
    const auditor = await signedIn('auditor');
    await auditor.fill('#q', HENDRA.nik);
    await Promise.all([auditor.waitForURL(/\/audit\/rumah-tangga\//), auditor.click('form button[type=submit]')]);
    await auditor.locator('.badge.ok', { hasText: 'Bukti integritas utuh' }).waitFor();
    await shot(auditor, '12-audit-rumah-tangga');
    await Promise.all([auditor.waitForURL(/\/mengapa\/BPNT$/), auditor.click('a[href$="/mengapa/BPNT"]')]);
    expect(await auditor.locator('[data-standing]').getAttribute('data-standing')).toBe('PENERIMA');
    const why = (await auditor.locator('#penjelasan').textContent())!;
    expect(why).toMatch(/BPNT|Sembako/);
    expect(why).toMatch(/kemensos|Kemensos/);
    await shot(auditor, '13-audit-mengapa');

    await auditor.goBack();
    await auditor.fill('#tanggal', '2020-01-01');
    await Promise.all([auditor.waitForEvent('load'), auditor.click('form[method=get] button[type=submit]')]);
    await expect(auditor.locator('#hasil-waktu').textContent()).resolves.toMatch(/Program: —/);

    await auditor.goto(`${base}/audit/akses`);
    await auditor.locator('td', { hasText: 'operator.desa' }).first().waitFor();
    await shot(auditor, '14-audit-log-akses');
  }, 60_000);

  it('caseworkers take and decide an appeal and a status change on their pages, the SLA in view', async () => {
    const view = await request(ctx.app.getHttpServer())
      .get(`/api/v1/registrations/${caseId}`)
      .set('Authorization', `Bearer ${tokens['operator.desa']}`)
      .expect(200);
    const { changeId, appealId } = await openCasesOn(ctx.app, tokens, view.body.householdId);
    const dinsos = await signedIn('dinsos');
    await eventually(async () => {
      await dinsos.goto(`${base}/konsol/antrean?caseType=banding`);
      await dinsos.locator(`a[href="/konsol/kasus/banding/${appealId}"]`).waitFor({ timeout: 500 });
    }, 10_000);
    await Promise.all([
      dinsos.waitForURL(`**/konsol/kasus/banding/${appealId}`),
      dinsos.click(`a[href="/konsol/kasus/banding/${appealId}"]`),
    ]);
    await expect(dinsos.locator('p', { hasText: 'Tenggat SLA' }).textContent()).resolves.toMatch(/Sesuai SLA/);
    await act(dinsos, 'form[data-api$="/assignment"]', 'Ambil kasus ini');
    expect(await statusOf(dinsos)).toBe('DIPROSES');
    await dinsos.locator('.timeline li', { hasText: 'Ditugaskan ke dinsos' }).waitFor();
    await dinsos.fill('form[data-api$="/decision"] textarea[name=reason]', 'Peringkat sudah sesuai hasil verifikasi lapangan.');
    await shot(dinsos, '18-banding');
    await act(dinsos, 'form[data-api$="/decision"]', 'Tolak');
    expect(await statusOf(dinsos)).toBe('DITOLAK');

    await dinsos.goto(`${base}/konsol/kasus/statuschange/${changeId}`);
    await dinsos.fill(
      'form[data-api$="/decision"] textarea[name=reason]',
      'Penghasilan keluarga sudah di atas garis kemiskinan.',
    );
    await dinsos.setInputFiles('form[data-api$="/decision"] input[data-evidence]', [pdf(10)]);
    await shot(dinsos, '19-perubahan-status');
    await act(dinsos, 'form[data-api$="/decision"]', 'Setujui');
    expect(await statusOf(dinsos)).toBe('DISETUJUI');
    await dinsos.locator('.timeline li', { hasText: 'dokumen-10.pdf' }).waitFor();
  }, 60_000);

  it('an applicant told documents are missing resumes with the link, uploads them and resubmits', async () => {
    const api = () => request(ctx.app.getHttpServer());
    const draft = await api().post('/api/v1/registrations/mandiri').send(budiHousehold('ONLINE')).expect(201);
    const asApplicant = { 'X-Resume-Token': draft.body.resumeToken };
    const uploads: Array<[string, string, Buffer]> = [
      ['KTP&memberIndex=0', 'image/jpeg', files.jpeg(901)],
      ['KK', 'application/pdf', files.pdf(902)],
      ['BUKTI_PENGHASILAN', 'application/pdf', files.pdf(903)],
      ['FOTO_RUMAH', 'image/jpeg', files.jpeg(904)],
      ['AKTA_KELAHIRAN&memberIndex=2', 'application/pdf', files.pdf(905)],
    ];
    for (const [kind, type, body] of uploads)
      await api()
        .post(`/api/v1/registrations/${draft.body.caseId}/documents?kind=${kind}`)
        .set(asApplicant)
        .set('Content-Type', type)
        .send(body)
        .expect(200);
    await api().post(`/api/v1/registrations/${draft.body.caseId}/submit`).set(asApplicant).send({}).expect(200);
    await api()
      .post(`/api/v1/registrations/${draft.body.caseId}/document-check`)
      .set('Authorization', `Bearer ${tokens['operator.desa']}`)
      .send({ complete: false, reason: 'Foto rumah bagian dalam belum ada' })
      .expect(200);

    const page = await newPage(undefined, { width: 390, height: 844 });
    await page.goto(`${base}/daftar/lanjut#${draft.body.caseId}.${draft.body.resumeToken}`);
    await page.locator('#draf-info', { hasText: 'dokumen belum lengkap' }).waitFor();
    expect(await page.locator('section[data-step="4"]').isVisible()).toBe(true);
    await page.setInputFiles('input[data-kind="FOTO_RUMAH"]', [photo(9)]);
    await page.locator('label', { hasText: 'Foto rumah (depan dan dalam) — ✓' }).waitFor();
    await shot(page, '17-daftar-lengkapi-dokumen-ponsel');
    await page.click('#lanjut');
    await page.check('#setuju');
    await page.getByRole('button', { name: 'Kirim ulang dokumen' }).click();
    await page.locator('#selesai').waitFor();
    const view = await api().get(`/api/v1/registrations/${draft.body.caseId}`).set(asApplicant).expect(200);
    expect(view.body.status).toBe('PEMERIKSAAN_DOKUMEN');
    expect(view.body.documents.filter((d: { kind: string }) => d.kind === 'FOTO_RUMAH')).toHaveLength(2);
  }, 60_000);

  it('the dashboard draws its four charts for the regency', async () => {
    const dinsos = await signedIn('dinsos');
    await dinsos.goto(`${base}/dasbor`);
    await dinsos.waitForFunction(
      () => Object.keys((window as unknown as { Chart: { instances: object } }).Chart?.instances ?? {}).length === 4,
    );
    await dinsos.waitForTimeout(700); // the charts' entry animation
    await shot(dinsos, '15-dasbor');
  }, 60_000);

  it('a user of another region cannot see the case; an expired session goes to sign-in and back', async () => {
    const other = await signedIn('operator.kota');
    const res = await other.goto(`${base}/konsol/pendaftaran/${caseId}`);
    expect(res!.status()).toBe(403);
    await expect(other.locator('h1').textContent()).resolves.toMatch(/tidak berwenang/);
    expect(await other.content()).not.toContain(HENDRA.name);
    await shot(other, '16-wilayah-lain-ditolak');

    await other.context().addCookies([{ name: 'sesi', value: 'kedaluwarsa.palsu.token', url: base }]);
    await other.goto(`${base}/konsol/antrean`);
    expect(other.url()).toContain('/masuk?lanjut=%2Fkonsol%2Fantrean&sesi=habis');
    await other.locator('.notice', { hasText: 'Sesi Anda telah berakhir' }).waitFor();
    await other.fill('#username', 'operator.kota');
    await other.fill('#password', DEMO_PASSWORD);
    await Promise.all([other.waitForURL(`${base}/konsol/antrean`), other.click('button[type=submit]')]);
  }, 60_000);

  it('every page passes the Content Security Policy: the public pages, sign-in, the staff pages, the API docs', async () => {
    const visit = async (page: Page, url: string) => {
      const res = await page.goto(`${base}${url}`);
      expect({ url, status: res?.status() }).toEqual({ url, status: 200 });
      await page.waitForLoadState('networkidle');
    };
    const visitor = await newPage();
    for (const url of ['/', '/masuk', '/daftar', '/cek-bansos', '/api/docs']) await visit(visitor, url);
    // The ALTCHA widget solves its puzzle in a Worker; wait until it has (a blocked worker never does).
    await visit(visitor, '/cek-bansos');
    await visitor.locator('altcha-widget input[type=checkbox]').click();
    await visitor.waitForSelector('altcha-widget [data-state=verified]', { timeout: 60_000 });
    const dinsos = await signedIn('dinsos');
    for (const url of ['/konsol/antrean', '/dasbor']) await visit(dinsos, url);
    const auditor = await signedIn('auditor');
    for (const url of ['/audit', '/audit/akses']) await visit(auditor, url);
    // Signing out is a form post with the session cookie: same origin, so accepted.
    await Promise.all([auditor.waitForEvent('load'), auditor.locator('form[action="/keluar"] button').click()]);
    expect((await auditor.context().cookies()).filter((c) => c.name === 'sesi')).toEqual([]);
  }, 120_000);
});
