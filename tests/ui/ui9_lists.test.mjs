// ui9_lists.test.mjs — the screens of issue 9 items 11–14 and 16 in a browser: search as a clerk types
// on 案件查询 (part of a 案号 / of a name), Excel export, reset; the menu opens a page afresh without a
// query string; 我的待办 for a command officer across courts (counter = list total, per-handler table,
// court column, a row opens the case, paging); the public portal on a 390-px phone and a laptop, where
// an error replaces stale results; no English words on these screens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, shot, PASSWORDS } from './lib.mjs';

let zx, ui, page;
async function login(username) {
  await ui.context.clearCookies();
  await page.goto(zx.base + '/#/login');
  await page.reload();
  await page.locator('input[data-test="username"], [data-test="username"] input').first().fill(username);
  await page.locator('input[data-test="password"], [data-test="password"] input').first().fill(PASSWORDS.demo);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=user-court]').waitFor();
}
// visible text of the main area must hold no Latin word (codes, English labels)
async function assertNoEnglish(scope = '.shell-main') {
  const text = await page.locator(scope).innerText();
  const words = (text.match(/[A-Za-z]{3,}/g) || []).filter((w) => !/^(demo_[a-z0-9_]+|Excel|PDF)$/i.test(w));
  assert.deepEqual(words, [], 'English or codes on screen');
}

before(async () => {
  zx = await startServer();
  ui = await launchBrowser();
  page = ui.page;
});
after(async () => { await ui?.close(); await zx?.stop(); });

test('案件查询: part of a 案号 finds it; export downloads an Excel file; the menu resets the filters', async () => {
  await login('demo_judge_liao0102');
  await page.locator('[data-test="nav-/cases"]').click();
  await page.locator('[data-test=case-table] tbody tr').first().waitFor();
  const first = (await page.locator('[data-test=case-table] tbody tr').first().locator('a').innerText()).trim();
  const m = /(执\D*)(\d+)号/.exec(first); // 执, 执恢, 执保 …
  await page.locator('[data-test=q-any] input, input[data-test=q-any]').first().fill(m[1] + m[2]);
  await page.locator('[data-test=search]').click();
  await page.waitForFunction(() => location.hash.includes('q='));
  await page.locator('[data-test=case-table] tbody tr').filter({ hasText: first }).first().waitFor();
  assert.ok(!/page=1|size=20/.test(await page.evaluate(() => location.hash)), 'no default paging in the address');
  await shot(page, 'ui9-cases-search');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export]').click()]);
  assert.match(dl.suggestedFilename(), /\.xlsx$/);
  // the menu link opens the list afresh: no query string, the search box empty
  await page.locator('[data-test="nav-/cases"]').click();
  await page.waitForFunction(() => location.hash === '#/cases');
  assert.equal(await page.locator('[data-test=q-any] input, input[data-test=q-any]').first().inputValue(), '');
  await assertNoEnglish();
});

test('待办 across courts: counter = list total, per-handler table, court column, a row opens the case', async () => {
  await login('demo_command_liao01');
  // the home page shows this officer's work: the deadlines of the court and the courts below
  const homeAll = Number((await page.locator('[data-test=home-todo] .kpi').nth(2).locator('.k-value').innerText()).trim());
  assert.ok(homeAll > 0, 'command home is not empty');
  await page.locator('[data-test="nav-/todo"]').click();
  await page.locator('[data-test=todo-scope]').getByText('本院及下级法院').click();
  await page.locator('[data-test=todo-by-handler]').waitFor();
  await page.locator('[data-test=count-overdue]').click();
  await page.waitForFunction(() => location.hash.includes('level=overdue'));
  await page.locator('[data-test=todo-table] tbody tr').first().waitFor();
  const counter = (await page.locator('[data-test=count-overdue] .k-value').innerText()).trim();
  assert.match(await page.locator('[data-test=todo-total]').innerText(), new RegExp(`共 ${counter} 项`));
  const row = await page.locator('[data-test=todo-table] tbody tr').first().innerText();
  assert.match(row, /人民法院/, 'the court is shown');
  await shot(page, 'ui9-todo-courts');
  await assertNoEnglish();
  await page.locator('[data-test=todo-table] tbody tr').first().click();
  await page.locator('[data-test=case-no]').waitFor();
});

test('public portal on a 390-px phone: fits the width, courts by name, an error replaces the results', async () => {
  await ui.context.clearCookies();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(zx.base + '/#/public');
  const name = (zx.sql("SELECT name FROM credit_entry WHERE list = 'dishonest' AND status = 'active' LIMIT 1")[0] || {}).name;
  assert.ok(name, 'a listed person in the demo data');
  await page.locator('[data-test=pub-name] input, input[data-test=pub-name]').first().fill(name);
  await page.locator('[data-test=pub-search]').click();
  await page.locator('[data-test=pub-results]').waitFor();
  await page.locator('.pub-card').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling on a phone (${overflow}px)`);
  const card = await page.locator('.pub-card').first().innerText();
  assert.match(card, /人民法院/);
  assert.ok(!/版本/.test(await page.locator('.portal').innerText()), 'no internal version numbers');
  await shot(page, 'ui9-portal-phone');
  await page.locator('[data-test=pub-name] input, input[data-test=pub-name]').first().fill('张');
  await page.locator('[data-test=pub-search]').click();
  await page.locator('[data-test=pub-error]').waitFor();
  assert.equal(await page.locator('[data-test=pub-results]').count(), 0, 'stale results are gone');
  // laptop: the table fits the page
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.locator('[data-test=pub-name] input, input[data-test=pub-name]').first().fill(name);
  await page.locator('[data-test=pub-search]').click();
  await page.locator('[data-test=pub-results] .el-table').first().waitFor();
  const over2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(over2 <= 1, `fits a laptop (${over2}px)`);
  await shot(page, 'ui9-portal-laptop');
});
