// totp.test.mjs (browser) — a chief's first login under totp_required: the enrolment dialog with
// the QR code, confirmation with a code from the key, the recovery codes; the next login asks for
// the 6-digit code (account/totp.h, web/app/totp-enrol.js, web/app/pages/login.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, shot, PASSWORDS } from './lib.mjs';
import { totpCode } from '../api/lib.mjs';

let zx, ui;
before(async () => {
  zx = await startServer({ serveEnv: { ZX_TOTP_REQUIRED: '1' } });
  ui = await launchBrowser();
});
after(async () => { await ui?.close(); await zx?.stop(); });

async function fillLogin(page) {
  await page.goto(zx.base + '/#/login');
  await page.fill('[data-test=username]', 'demo_chief_liao0102');
  await page.fill('[data-test=password]', PASSWORDS.demo);
  await page.click('[data-test=login]');
}

test('chief: enrol by QR code at first login, then log in with the code', async () => {
  const { page } = ui;
  await fillLogin(page);
  await page.waitForSelector('[data-test=totp-qr] svg');
  const secret = (await page.textContent('[data-test=totp-secret]')).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await shot(page, 'ui-totp-enrol');
  const step = Math.floor(Date.now() / 30000);
  await page.fill('[data-test=totp-code]', totpCode(secret, step * 30000));
  await page.click('[data-test=totp-confirm]');
  await page.waitForSelector('[data-test=totp-recovery] li');
  assert.equal(await page.locator('[data-test=totp-recovery] li').count(), 10);
  await page.click('[data-test=totp-done]');
  await page.waitForSelector('[data-test=user-court]');
  assert.equal(await page.locator('[data-test=totp-dialog]').isVisible().catch(() => false), false);

  // log out, log in again: the form asks for the code
  await page.click('[data-test=logout]');
  await page.locator('.el-message-box .el-button--primary').click();
  await fillLogin(page);
  await page.waitForSelector('[data-test=totp]');
  let next = step + 1;
  if (next > Math.floor(Date.now() / 30000) + 1) next = Math.floor(Date.now() / 30000) + 1;
  await page.fill('[data-test=totp]', totpCode(secret, next * 30000));
  await page.click('[data-test=login]');
  await page.waitForSelector('[data-test=user-court]');
  assert.deepEqual(ui.errors.filter((e) => !/401|403/.test(e)), []);
});
