// inquiry.test.mjs — issue 12 in a real browser, with bin/zhixing-sim playing the institutions: the
// case's 财产查控 page (automatic run on filing, status per institution, asset list), a freeze above
// the claim refused with the figures (查封规定 art 19), a freeze within it, and the control register
// with its expiry column. Chinese only on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, shot } from './lib.mjs';
import { startSim } from '../api/lib.mjs';
import { idNumber } from '../api/ids.mjs';

let zx, sim, ui, page, caseId;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pad = (n) => String(n).padStart(2, '0');
const daysAgo = (n) => { const d = new Date(Date.now() + 8 * 3600e3 - n * 86400e3); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; };
const field = (name) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();
// sign out (the cookies go) and in again as another demo user
async function signInAs(username) {
  await ui.context.clearCookies();
  await page.goto(zx.base + '/#/login');
  await page.reload();
  await field('username').waitFor();
  await field('username').fill(username);
  await field('password').fill(zx.changedPassword?.(username) || zx.creds.demoPassword);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=user-court]').waitFor();
}

before(async () => {
  sim = await startSim({ seed: 11 });
  zx = await startServer({ env: { ZX_SIM_URL: sim.url } });
  const clerk = await zx.login('demo_filing_clerk_liao0102', zx.creds.demoPassword);
  const r = await zx.api('POST', '/api/v1/cases', { token: clerk, body: {
    type_code: '执', applied_on: daysAgo(1), claim_fen: 300000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初9001号', effective_on: daysAgo(100) },
    conditions: { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true },
    parties: [
      { role: 'applicant', kind: 'person', name: '赵一', id_number: idNumber('210102', '19800315', 7), phone: '13800000002' },
      { role: 'debtor', kind: 'person', name: '钱二', id_number: idNumber('210103', '19780101', 44) },
    ],
  } });
  assert.equal(r.status, 201, r.text);
  caseId = r.json.id;
  const judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
  assert.equal((await zx.api('PUT', `/api/v1/cases/${caseId}/assignment`, { token: clerk, body: { handler_id: judgeId } })).status, 200);
  // an applicant's clue (紧急: verify within 3 days)
  const judge = await zx.login('demo_judge_liao0102', zx.creds.demoPassword);
  const cl = await zx.api('POST', `/api/v1/cases/${caseId}/actions/property_clue`, { token: judge, body: { clue: '申请人称被执行人名下有一辆轿车停放在小区', urgent: true } });
  assert.equal(cl.status, 200, cl.text);
  // the filing-day run finishes against the simulator
  for (let i = 0; i < 300; i++) {
    if (zx.sql(`SELECT status FROM inquiry WHERE case_id = ${caseId}`)[0]?.status === 'done') break;
    await sleep(200);
  }
  ui = await launchBrowser();
  page = ui.page;
  await page.goto(zx.base + '/#/login');
  await field('username').waitFor();
  await field('username').fill('demo_judge_liao0102');
  await field('password').fill(zx.changedPassword?.('demo_judge_liao0102') || zx.creds.demoPassword);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=user-court]').waitFor();
});
after(async () => { await ui?.close(); await zx?.stop(); await sim?.stop(); });

test('财产查控: the filing-day run, the asset list, over-seizure refused with the figures, a freeze within the claim', async () => {
  await page.goto(zx.base + `/#/cases/${caseId}`);
  await page.locator('[data-test=open-assets]').click();
  await page.locator('[data-test=inquiry-page]').waitFor();
  await page.locator('[data-test=assets] .el-table__row').first().waitFor({ timeout: 45000 });
  const clues = await page.locator('[data-test=clues]').innerText();
  assert.match(clues, /轿车/);
  assert.match(clues, /紧急/);
  assert.match(clues, /待核查|即将到期/);
  const runs = await page.locator('[data-test=runs]').innerText();
  assert.match(runs, /立案当日自动查询/);
  assert.match(runs, /已完成/);
  const assetsText = await page.locator('[data-test=assets]').innerText();
  assert.match(assetsText, /银行存款/);
  assert.match(assetsText, /中国工商银行辽宁省分行/);
  // the largest-balance deposit: ask for more than the claim
  const rows = page.locator('[data-test=assets] .el-table__body-wrapper .el-table__row');
  const n = await rows.count();
  let row = null;
  for (let i = 0; i < n; i++) {
    const r = rows.nth(i);
    if (/银行存款/.test(await r.innerText()) && await r.locator('[data-test=freeze]').count()) { row = r; break; }
  }
  assert.ok(row, 'a deposit row with a freeze button');
  await row.locator('[data-test=freeze]').click();
  await field('op-amount').fill('999999.00');
  await page.locator('[data-test=op-submit]').click();
  const err = page.locator('[data-test=op-error]');
  await err.waitFor();
  const msg = await err.innerText();
  const a = (await zx.api('GET', `/api/v1/cases/${caseId}/assets`, { token: await zx.login('demo_judge_liao0102', zx.creds.demoPassword) })).json.assets;
  const maxDeposit = Math.max(...a.filter((x) => x.kind === 'deposit').map((x) => x.value_fen));
  if (maxDeposit > 300000 + 5000) {
    assert.match(msg, /超标的/);
    assert.match(msg, /未履行债权及执行费用/);
  }
  await shot(page, 'inquiry-over-seizure');
  await field('op-amount').fill('100.00');
  await page.locator('[data-test=op-submit]').click();
  await page.locator('[data-test=control-cell]').first().waitFor({ timeout: 30000 }).catch(async (e) => { await shot(page, 'inquiry-freeze-failed'); throw e; });
  for (let i = 0; i < 50; i++) {
    if (/生效中/.test(await page.locator('[data-test=assets]').innerText())) break;
    await sleep(300);
    if (i % 5 === 4) await page.reload();
  }
  assert.match(await page.locator('[data-test=assets]').innerText(), /冻结 ¥100\.00（生效中/);
  await shot(page, 'inquiry-assets');
  // the freeze nears its legal end date (民诉解释 art 485): the case page warns, with the days left
  const until = new Date(Date.now() + 8 * 3600e3 + 10 * 86400e3).toISOString().slice(0, 10);
  zx.exec(`UPDATE asset_control SET until_on = '${until}' WHERE case_id = ${caseId} AND status = 'active'`);
  await page.reload();
  await page.locator('[data-test=expiry-alert]').waitFor();
  assert.match(await page.locator('[data-test=expiry-alert]').innerText(), /即将到期.*10 天后.*续行/);
  assert.match(await page.locator('[data-test=expiry-warn]').first().innerText(), /10 天后到期，请及时续行/);
  await shot(page, 'inquiry-expiry-warning');
  const body = await page.locator('[data-test=inquiry-page]').innerText();
  assert.ok(!/[A-Z]{2,}_[A-Z]+|deposit|freeze|undefined/.test(body), 'no internal codes on screen');
  // … and so does the judge's 我的待办: 续行冻结（查封）或解除 (民诉解释 art 485), a month ahead
  zx.exec(`UPDATE case_deadline SET due_on = '${until}' WHERE case_id = ${caseId} AND kind = 'control_renewal' AND done = 0`);
  await page.goto(zx.base + '/#/todo');
  await page.locator('[data-test=count-warning]').click();
  const todoRow = page.locator('[data-test=todo-table] .el-table__row', { hasText: '续行冻结（查封）或解除' }).first();
  await todoRow.waitFor();
  assert.match(await todoRow.innerText(), new RegExp(until));
  await shot(page, 'inquiry-todo');
});

test('查控运行监控 (command center): per institution in flight, answer time, failure rate and sending state; today by court', async () => {
  await signInAs('demo_command_liao0102');
  await page.locator('[data-test="nav-/inquiry-monitor"]').click();
  await page.locator('[data-test=inquiry-stats-page]').waitFor();
  await page.locator('[data-test=inq-institutions] .el-table__row').first().waitFor();
  const inst = await page.locator('[data-test=inq-institutions]').innerText();
  assert.match(inst, /中国工商银行辽宁省分行/);
  assert.match(inst, /银行存款/);
  assert.match(inst, /\d+(\.\d)? 秒|\d+(\.\d)? 分钟/, 'answer times');
  assert.match(inst, /正常/);
  const courts = await page.locator('[data-test=inq-courts]').innerText();
  assert.match(courts, /沈阳市和平区人民法院/);
  assert.match(courts, /¥\d/);
  await shot(page, 'inquiry-monitor');
  const body = await page.locator('[data-test=inquiry-stats-page]').innerText();
  assert.ok(!/[A-Z]{2,}_[A-Z]+|deposit|closed|half_open|undefined|NaN/.test(body), 'no internal codes on screen');
  assert.deepEqual(ui.errors.filter((e) => !/favicon|status of 401|status of 422/.test(e)), []);
  // back as the judge for the next test
  await signInAs('demo_judge_liao0102');
  ui.errors.length = 0; // the 401 of /me before signing in again is expected
});

test('控制措施登记簿: the freeze with its legal end date and days left', async () => {
  await page.locator('[data-test="nav-/controls"]').click();
  await page.locator('[data-test=controls-page]').waitFor();
  await page.locator('[data-test=within]').click();
  await page.locator('.el-select-dropdown__item', { hasText: '一年内' }).click();
  await page.locator('[data-test=controls] .el-table__row').first().waitFor();
  const t = await page.locator('[data-test=controls]').innerText();
  assert.match(t, /冻结/);
  assert.match(t, /\d+ 天/);
  assert.match(t, /钱二/);
  await shot(page, 'inquiry-controls');
  // expected noise: /me answers 401 before login; the refused over-seizure is a 422
  assert.deepEqual(ui.errors.filter((e) => !/favicon|status of 401|status of 422/.test(e)), []);
});

test('等待答复: a registry that acknowledged shows the judge when it usually answers and the last day (its answer window)', async () => {
  // the registry acknowledges and says nothing more; its registry row: usually 1 day, at most 5
  await sim.setOptions({ 'inst.real_estate-dalian.callback': '0', 'inst.real_estate-dalian.async_ms': '600000' });
  zx.exec(`UPDATE inquiry_institution SET answer_expect_ms = 86400000, answer_window_ms = 432000000 WHERE code = 'real_estate-dalian'`);
  try {
    const judge = await zx.login('demo_judge_liao0102', zx.creds.demoPassword);
    const q = await zx.api('POST', `/api/v1/cases/${caseId}/inquiries`, { token: judge, body: { kinds: ['real_estate'] } });
    assert.equal(q.status, 202, q.text);
    for (let i = 0; i < 100; i++) {
      if (Number(zx.sql(`SELECT COUNT(*) AS n FROM inquiry_request WHERE inquiry_id = ${q.json.inquiry_id} AND acked_ms IS NOT NULL`)[0].n) > 0) break;
      await sleep(200);
    }
    await page.goto(zx.base + `/#/cases/${caseId}`);
    await page.locator('[data-test=open-assets]').click();
    await page.locator('[data-test=inquiry-page]').waitFor();
    await page.locator('[data-test=runs] .el-collapse-item__header').first().click(); // the newest run
    const waiting = page.locator('[data-test=req-expected]').first();
    await waiting.waitFor({ timeout: 30000 });
    assert.match(await page.locator('[data-test=runs]').innerText(), /等待答复/);
    const t = await waiting.innerText();
    assert.match(t, /^预计 \d{4}-\d{2}-\d{2} \d{2}:\d{2}.* 前答复；最迟 \d{4}-\d{2}-\d{2}/);
    await waiting.scrollIntoViewIfNeeded();
    await shot(page, 'inquiry-waiting');
  } finally {
    zx.exec(`UPDATE inquiry_institution SET answer_expect_ms = NULL, answer_window_ms = NULL WHERE code = 'real_estate-dalian'`);
    await sim.setOptions({ 'inst.real_estate-dalian.callback': null, 'inst.real_estate-dalian.async_ms': null });
  }
});

test('本院查控设置: the chief switches off the filing-day query and sets the warning days on the register page; the judge sees them, not the button', async () => {
  await page.goto(zx.base + '/#/controls');
  await page.locator('[data-test=settings-line]').waitFor();
  assert.match(await page.locator('[data-test=settings-line]').innerText(), /立案当日自动查控：已开启.*届满前 30、15、7 天/s);
  assert.equal(await page.locator('[data-test=inquiry-settings]').count(), 0, 'a judge does not change the court\'s rules');
  await signInAs('demo_chief_liao0102');
  await page.goto(zx.base + '/#/controls');
  await page.locator('[data-test=inquiry-settings]').click();
  const dlg = page.locator('[data-test=settings-dialog]');
  await dlg.waitFor();
  await dlg.locator('[data-test=set-on-filing]').click();
  await dlg.locator('[data-test=set-warn-0] input').fill('60');
  await dlg.locator('[data-test=set-warn-2] input').fill('5');
  await shot(page, 'inquiry-settings');
  await dlg.locator('[data-test=settings-save]').click();
  await page.locator('.el-message--success').waitFor();
  const line = page.locator('[data-test=settings-line]');
  await page.waitForFunction(() => /已关闭/.test(document.querySelector('[data-test=settings-line]')?.innerText || ''));
  assert.match(await line.innerText(), /立案当日自动查控：已关闭.*届满前 60、15、5 天/s);
  assert.match(await page.locator('[data-test=controls-page] .el-alert').first().innerText(), /到期前 60、15、5 天预警/);
  const chief = await zx.login('demo_chief_liao0102', zx.creds.demoPassword);
  const s = await zx.api('GET', '/api/v1/inquiry/settings', { token: chief });
  assert.deepEqual([s.json.on_filing, s.json.expiry_warn_days], [false, [60, 15, 5]]);
  assert.equal((await zx.api('PUT', '/api/v1/inquiry/settings', { token: chief, body: { on_filing: true, expiry_warn_days: [30, 15, 7] } })).status, 200);
  const body = await page.locator('[data-test=controls-page]').innerText();
  assert.ok(!/[A-Za-z]{3,}/.test(body.replace(/¥|\d/g, '')), 'Chinese only on screen');
  assert.deepEqual(ui.errors.filter((e) => !/favicon|status of 401|status of 422/.test(e)), []);
});
