/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD, signIn } from '../support/api';
import { startTestApp } from '../support/app';

/**
 * In a real browser: text typed into a form survives a session that ended meanwhile (the form is
 * sent, the app asks to sign in, and the page comes back with the text); the user administration
 * page and the own-password page work through the API.
 */
const CHROMIUM = '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
if (!available) console.warn(`Browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium).`);
const describeInBrowser = available ? describe : describe.skip;

describeInBrowser('sign-in pages in a browser', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let base: string;
  let browser: Browser;
  const pageErrors: string[] = [];
  const api = () => request(ctx.app.getHttpServer());

  beforeAll(async () => {
    ctx = await startTestApp();
    await ctx.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(ctx.app.getHttpServer().address() as AddressInfo).port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  async function signedIn(username: string, password = DEMO_PASSWORD): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
    await page.goto(`${base}/masuk`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(/\/(konsol|audit)/), page.click('button[type=submit]')]);
    return page;
  }

  /** Ends the page's session from outside, as an idle timeout or a sign-out elsewhere would. */
  async function endSession(page: Page): Promise<void> {
    const cookie = (await page.context().cookies()).find((c) => c.name === 'sesi')!;
    await api().post('/api/v1/auth/logout').set('Authorization', `Bearer ${cookie.value}`).expect(204);
  }

  it('typed text survives a re-sign-in: sent after the session ended, it is back in the form afterwards', async () => {
    const page = await signedIn('dinsos');
    const url = `${base}/penghapusan/rumah-tangga/${randomUUID()}`;
    await page.goto(url);
    const typed = 'Permintaan tertulis subjek data, surat nomor 77/2026, diterima di kantor';
    await page.fill('#reason', typed);
    await page.selectOption('#basis', { index: 1 });
    const basis = await page.inputValue('#basis');
    await endSession(page);
    await Promise.all([page.waitForURL(/\/masuk\?lanjut=.*sesi=habis/), page.click('button[type=submit]')]);
    await page.fill('#username', 'dinsos');
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(url), page.click('button[type=submit]')]);
    expect(await page.inputValue('#reason')).toBe(typed);
    expect(await page.inputValue('#basis')).toBe(basis);
    await expect(page.locator('[data-form-status]').textContent()).resolves.toContain('Isian Anda dipulihkan');
    // Restored once: a reload shows the empty form again (nothing lingers in the tab).
    await page.reload();
    expect(await page.inputValue('#reason')).toBe('');
  });

  it('the administrator deactivates a user on the users page; their open session ends at once', async () => {
    await api()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${(await signIn(ctx.app, ['admin'])).admin}`)
      .send({ username: 'petugas.keluar', displayName: 'Petugas', password: DEMO_PASSWORD, role: 'dinsos', regionCode: '32.04' })
      .expect(201);
    const staff = await signedIn('petugas.keluar');
    const admin = await signedIn('admin');
    await admin.goto(`${base}/konsol/pengguna`);
    const row = admin.locator('tr', { hasText: 'petugas.keluar' });
    await Promise.all([admin.waitForEvent('load'), row.getByRole('button', { name: 'Nonaktifkan' }).click()]);
    await expect(admin.locator('tr', { hasText: 'petugas.keluar' }).textContent()).resolves.toContain('Nonaktif');
    await staff.goto(`${base}/konsol/antrean`);
    expect(staff.url()).toContain('/masuk?');
  });

  it('a user changes their own password on the password page', async () => {
    const page = await signedIn('auditor');
    await page.goto(`${base}/akun/kata-sandi`);
    await page.fill('#currentPassword', DEMO_PASSWORD);
    await page.fill('#newPassword', 'sandi-baru-auditor-2026');
    await page.click('button[type=submit]');
    await expect(page.locator('[data-form-status]').textContent()).resolves.toContain('Kata sandi telah diganti');
    await api().post('/api/v1/auth/login').send({ username: 'auditor', password: DEMO_PASSWORD }).expect(401);
    await api().post('/api/v1/auth/login').send({ username: 'auditor', password: 'sandi-baru-auditor-2026' }).expect(200);
  });
});
