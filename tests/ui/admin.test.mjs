// admin.test.mjs — the three administrators (三员) in the browser: the system administrator creates
// an account and sees its one-time password; the security administrator assigns a role and
// unlocks the account after it was locked by failed logins; the auditor sees the audit records of
// all of it and runs the hash-chain check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, shot } from './lib.mjs';

const COURT = '辽0102';
const USERNAME = 'zhang_wei_ui';
let zx, ui, page;
const st = {};

const field = (name) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();
async function login(username, password) {
  await ui.context.clearCookies();
  await page.goto(zx.base + '/#/login');
  await page.reload();
  await field('username').waitFor();
  await field('username').fill(username);
  await field('password').fill(password);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=user-court]').waitFor();
}
const visibleDialog = () => page.locator('.el-dialog').filter({ visible: true }).last();
const userRow = () => page.locator('[data-test=user-table] tr', { hasText: USERNAME }).first();
async function apiUser(token) {
  const r = await zx.api('GET', `/api/v1/users?court=${encodeURIComponent(COURT)}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json.users.find((u) => u.username === USERNAME);
}

before(async () => {
  zx = await startServer();
  ui = await launchBrowser();
  page = ui.page;
  st.secToken = await zx.login(zx.creds.secadmin.username, zx.creds.secadmin.password);
});
after(async () => {
  if (ui) await shot(page, 'ui-admin-last').catch(() => {});
  await ui?.close();
  await zx?.stop();
});

test('sysadmin creates a user; the initial password is shown once', async () => {
  await login(zx.creds.sysadmin.username, zx.creds.sysadmin.password);
  await page.goto(`${zx.base}/#/admin/users?court=${encodeURIComponent(COURT)}`);
  await page.locator('[data-test=user-table]').waitFor();
  await page.locator('[data-test=user-create]').click();
  const dlg = visibleDialog();
  await dlg.waitFor();
  // validation message before any request
  await field('new-username').fill('Bad Name');
  await field('new-display-name').fill('张伟');
  await dlg.locator('[data-test=new-submit]').click();
  await dlg.getByText('用户名须为').waitFor();
  await field('new-username').fill(USERNAME);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST'),
    dlg.locator('[data-test=new-submit]').click(),
  ]);
  assert.equal(resp.status(), 201, await resp.text());
  const created = await resp.json();
  const box = page.locator('.el-message-box');
  await box.waitFor();
  const text = await box.innerText();
  const m = /初始密码：(\S+)/.exec(text);
  assert.ok(m, `password shown: ${text}`);
  assert.equal(m[1], created.initial_password);
  st.password = m[1];
  await shot(page, 'ui-admin-created');
  await box.locator('button', { hasText: '我已记录' }).click();
  await userRow().waitFor();
  assert.match(await userRow().innerText(), /未分配/);
  // the one-time password works (and must be changed)
  const lr = await zx.loginFull(USERNAME, st.password);
  assert.equal(lr.status, 200, lr.text);
});

test('secadmin assigns a role, and unlocks the account after failed logins', async () => {
  await login(zx.creds.secadmin.username, zx.creds.secadmin.password);
  await page.goto(`${zx.base}/#/admin/users?court=${encodeURIComponent(COURT)}`);
  await userRow().waitFor();
  await userRow().locator('button', { hasText: '分配角色' }).click();
  const dlg = visibleDialog();
  await dlg.waitFor();
  await dlg.locator('.el-checkbox', { hasText: '执行法官' }).click();
  let [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/roles')),
    dlg.locator('button', { hasText: '保存' }).click(),
  ]);
  assert.equal(resp.status(), 200, await resp.text());
  await userRow().locator('.el-tag', { hasText: '执行法官' }).waitFor();
  assert.deepEqual((await apiUser(st.secToken)).roles, ['judge']);

  // lock the account with wrong passwords
  let locked = false;
  for (let i = 0; i < 12 && !locked; i++) {
    await zx.api('POST', '/api/v1/auth/login', { body: { username: USERNAME, password: 'Wrong-Pass#9' } });
    locked = !!(await apiUser(st.secToken)).locked;
  }
  assert.ok(locked, 'locked after repeated failures');
  const denied = await zx.api('POST', '/api/v1/auth/login', { body: { username: USERNAME, password: st.password } });
  assert.notEqual(denied.status, 200, 'a locked account cannot log in');
  await page.reload();
  await userRow().locator('.el-tag', { hasText: '已锁定' }).waitFor();
  await shot(page, 'ui-admin-locked');
  [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/unlock')),
    userRow().locator('button', { hasText: '解锁' }).click(),
  ]);
  assert.equal(resp.status(), 200, await resp.text());
  await userRow().locator('.el-tag', { hasText: '正常' }).waitFor();
  const ok = await zx.loginFull(USERNAME, st.password);
  assert.equal(ok.status, 200, ok.text);
});

test('the new user logs in with the one-time password and must change it first', async () => {
  await login(USERNAME, st.password);
  const dlg = visibleDialog();
  await dlg.waitFor();
  assert.match(await dlg.innerText(), /请先修改密码/);
  const inputs = dlg.locator('input[type=password]');
  await inputs.nth(0).fill(st.password);
  await inputs.nth(1).fill('short');
  await inputs.nth(2).fill('short');
  await dlg.locator('button', { hasText: '确定' }).click();
  await dlg.locator('.el-alert', { hasText: '新密码至少 8 位' }).waitFor(); // the policy message, before any request
  const next = 'Zhang-Wei#2026x';
  await inputs.nth(1).fill(next);
  await inputs.nth(2).fill(next);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/password')),
    dlg.locator('button', { hasText: '确定' }).click(),
  ]);
  assert.equal(resp.status(), 200, await resp.text());
  await dlg.waitFor({ state: 'hidden' });
  assert.match((await page.locator('[data-test=role-label]').allInnerTexts()).join(' '), /执行法官/);
  assert.equal((await zx.loginFull(USERNAME, next)).status, 200, 'the new password works');
  assert.notEqual((await zx.loginFull(USERNAME, st.password)).status, 200, 'the one-time password no longer works');
});

test('auditor sees the audit records and runs the chain check', async () => {
  await login(zx.creds.auditor.username, zx.creds.auditor.password);
  await page.goto(`${zx.base}/#/admin/audit`);
  const table = page.locator('[data-test=audit-table]');
  await table.locator('tbody tr').first().waitFor();
  const form = page.locator('.search-form');
  // 操作类别: a select of families in Chinese (issue 9 item 12: no codes on screen)
  await form.locator('.el-form-item', { hasText: '操作类别' }).locator('.el-select__wrapper, .el-select').first().click();
  await page.locator('.el-select-dropdown__item').filter({ visible: true, hasText: '账户管理' }).first().click();
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/audit?')),
    form.locator('button', { hasText: '检索' }).click(),
  ]);
  const rows = await table.locator('tbody').innerText();
  for (const a of ['创建账户', '分配角色', '解锁账户']) assert.ok(rows.includes(a), `${a} listed`);
  assert.ok(!/user\.create|user\.roles/.test(rows), 'no action codes on screen');
  await shot(page, 'ui-admin-audit');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/audit/verify')),
    page.locator('[data-test=audit-verify]').click(),
  ]);
  assert.equal(resp.status(), 200, await resp.text());
  await page.locator('.el-alert--success', { hasText: '哈希链完整' }).waitFor();
  // navigations in the login helper abort in-flight requests (ERR_ABORTED): not page errors
  const real = ui.errors.filter((e) => !/401|favicon|status of 4\d\d|net::ERR_ABORTED/.test(e));
  assert.deepEqual(real, [], 'no page errors');
});
