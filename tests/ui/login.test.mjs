// login.test.mjs — log in through the UI's form as a demo judge and see the home page with the
// user's court and role; screenshot test-results/ui-home.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, shot, ROLE } from './lib.mjs';

let zx, ui;
before(async () => {
  zx = await startServer();
  ui = await launchBrowser();
});
after(async () => {
  if (ui) await shot(ui.page, 'ui-last').catch(() => {});
  await ui?.close();
  await zx?.stop();
});

test('login page → wrong password shows an error, right password shows home with court and role', async () => {
  const u = zx.users().find((x) => Number(x.is_demo) && (Number(x.roles) & ROLE.judge) && x.court_code === '辽0102');
  assert.ok(u, 'a demo judge of 辽0102');
  const court = zx.sql(`SELECT name FROM court WHERE code = '辽0102'`)[0].name;
  const { page } = ui;

  await page.goto(zx.base + '/');
  // data-test may sit on the <input> itself or on Element Plus's wrapper around it.
  const field = (name) => page.locator(`input[data-test=${name}], [data-test=${name}] input`).first();
  await field('username').waitFor();
  await shot(page, 'ui-login');
  // Chinese UI
  assert.match(await page.locator('body').innerText(), /[\u4e00-\u9fff]/, 'Chinese text on the login page');

  await field('username').fill(u.username);
  await field('password').fill('Wrong-Pass#1x');
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=login-error]').waitFor();
  assert.match(await page.locator('[data-test=login-error]').innerText(), /[\u4e00-\u9fff]/, 'Chinese error message');
  assert.equal(await page.locator('[data-test=user-court]').count(), 0, 'still on the login page');

  await field('password').fill(zx.creds.demoPassword);
  await page.locator('[data-test=login]').click();
  const courtEl = page.locator('[data-test=user-court]');
  await courtEl.waitFor();
  const courtText = await courtEl.innerText();
  assert.ok(courtText.includes(court) || courtText.includes('辽0102'), `court shown: "${courtText}" (expected ${court})`);
  const roles = (await page.locator('[data-test=role-label]').allInnerTexts()).join(' ');
  assert.match(roles, /法官/, `role shown on the home page: "${roles}"`);
  await shot(page, 'ui-home');

  // The session survives a reload (cookie), and errors on the page are none.
  await page.reload();
  await page.locator('[data-test=user-court]').waitFor();
  const real = ui.errors.filter((e) => !/401|favicon/.test(e));
  assert.deepEqual(real, [], 'no page errors');
});
