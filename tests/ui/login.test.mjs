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
  await page.locator('[data-test=username]').waitFor();
  await shot(page, 'ui-login');
  // Chinese UI
  assert.match(await page.locator('body').innerText(), /[\u4e00-\u9fff]/, 'Chinese text on the login page');

  await page.locator('[data-test=username]').fill(u.username);
  await page.locator('[data-test=password]').fill('Wrong-Pass#1x');
  await page.locator('[data-test=login]').click();
  await page.getByText(/用户名或密码|密码错误|登录失败/).first().waitFor();
  assert.equal(await page.locator('[data-test=user-court]').count(), 0, 'still on the login page');

  await page.locator('[data-test=password]').fill(zx.creds.demoPassword);
  await page.locator('[data-test=login]').click();
  const courtEl = page.locator('[data-test=user-court]');
  await courtEl.waitFor();
  const courtText = await courtEl.innerText();
  assert.ok(courtText.includes(court) || courtText.includes('辽0102'), `court shown: "${courtText}" (expected ${court})`);
  const body = await page.locator('body').innerText();
  assert.match(body, /执行法官|法官/, 'role shown on the home page');
  await shot(page, 'ui-home');

  // The session survives a reload (cookie), and errors on the page are none.
  await page.reload();
  await page.locator('[data-test=user-court]').waitFor();
  const real = ui.errors.filter((e) => !/401|favicon/.test(e));
  assert.deepEqual(real, [], 'no page errors');
});
