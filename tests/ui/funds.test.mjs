// funds.test.mjs — case funds in a browser (issue 11 item 9): the finance clerk claims an unidentified
// receipt from the 待认领 list into a case; the case's 案款账户 page shows the check-digit account
// number, the balance and the transfer; the judge proposes a payout there; the 执行局长 sees the
// overdue buckets (demo money held > 30 days) and runs reconciliation. The whole path of the issue's "Done
// when": a debtor's payment from a bank statement to the applicant's bank account — statement upload, the
// case account, a payout ≥ ¥100,000, the 执行局长's approval, the instruction pushed to the (simulated) bank,
// the bank's signed confirmation — each screen photographed (test-results/ui-funds-walk-*.png) and checked
// for English words; the chief's home card with the escalations; the 参与分配 objection steps on the case and a
// final plan's line paid out from the plans table (按方案发放, 民诉解释 arts 508–510).
// No English on the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, shot, PASSWORDS } from './lib.mjs';
import { startSim } from '../api/lib.mjs';

let zx, ui, page, sim;

async function login(username) {
  await ui.context.clearCookies();
  await page.goto(zx.base + '/#/login');
  await page.reload();
  await page.locator('input[data-test="username"], [data-test="username"] input').first().fill(username);
  await page.locator('input[data-test="password"], [data-test="password"] input').first().fill(PASSWORDS.demo);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=user-court]').waitFor();
}

// el-input puts data-test on the <input> itself (or its wrapper, depending on the version)
const inp = (name) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();

async function until(fn, ms = 10000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) { if (await fn()) return true; await new Promise((r) => setTimeout(r, 100)); }
  return false;
}

function noEnglish(text) {
  // words of 3+ latin letters on screen (case numbers and amounts are digits/Chinese)
  // (file-format names as the labels sweep allows them: PDF, CSV, UTF of UTF-8; .csv in a file's own name)
  return (text.match(/\b[A-Za-z]{3,}\b/g) || []).filter((w) => !['PDF', 'CSV', 'csv', 'UTF'].includes(w));
}

before(async () => {
  sim = await startSim();
  zx = await startServer({ env: { ZX_SIM_URL: sim.url } });
  ui = await launchBrowser();
  page = ui.page;
});
after(async () => { await ui?.close(); await zx?.stop(); await sim?.stop(); });

test('finance claims a 待认领 receipt into a case; the case account shows it; the chief sees the overdue list', async () => {
  const court = (await zx.sql("SELECT CAST(id AS TEXT) AS id FROM court WHERE code = '辽0102'"))[0].id;
  const k = (await zx.sql(`SELECT CAST(id AS TEXT) AS id, case_no FROM enf_case WHERE court_id = ${court} AND status = 'open' AND handler_id = (SELECT id FROM app_user WHERE username = 'demo_judge_liao0102') ORDER BY id DESC LIMIT 1`))[0];
  await login('demo_finance_liao0102');
  await page.goto(zx.base + '/#/funds');
  const rows = page.locator('[data-test=arrivals] .el-table__body tr');
  await rows.first().waitFor();
  assert.ok(await rows.count() >= 1);
  const before = Number((await zx.sql(`SELECT credits_posted AS n FROM fund_account WHERE kind = 2 AND case_id = ${k.id}`))[0]?.n || 0);
  await rows.first().locator('button:has-text("认领")').click();
  await inp('claim-case-no').fill(k.case_no);
  await page.locator('[data-test=claim-submit]').click();
  const claimed = await until(async () => Number((await zx.sql(`SELECT credits_posted AS n FROM fund_account WHERE kind = 2 AND case_id = ${k.id}`))[0]?.n || 0) > before);
  assert.ok(claimed, 'claimed into the case account');
  const body = await page.locator('[data-test=funds-desk]').innerText();
  assert.deepEqual(noEnglish(body), []);
  await shot(page, 'ui-funds-desk');

  // the judge opens the case's account from the case page and proposes a payout
  await login('demo_judge_liao0102');
  await page.goto(zx.base + `/#/cases/${k.id}`);
  await page.locator('[data-test=open-funds]').click();
  await page.locator('[data-test=account-no]').waitFor();
  const no = (await page.locator('[data-test=account-no]').innerText()).replace(/\s/g, '');
  assert.match(no, /^95\d{16}$/);
  await page.locator('[data-test=transfers] .el-table__body tr').first().waitFor();
  assert.match(await page.locator('[data-test=transfers]').innerText(), /认领入案/);
  await page.locator('[data-test=open-payout]').click();
  await inp('payee-name').fill('测试申请人');
  await inp('payee-account').fill('6222000011112222');
  await inp('payout-amount').fill('100.00');
  await page.locator('[data-test=payout-submit]').click();
  await until(async () => (await zx.sql(`SELECT COUNT(*) AS n FROM fund_payout WHERE case_id = ${k.id}`))[0].n > 0);
  const p = await zx.sql(`SELECT status FROM fund_payout WHERE case_id = ${k.id}`);
  assert.ok(p.some((x) => x.status === 'approved' || x.status === 'pending_approval'), JSON.stringify(p));
  assert.deepEqual(noEnglish(await page.locator('[data-test=funds-case]').innerText()), []);
  await shot(page, 'ui-funds-case');

  // the chief: overdue buckets and reconciliation
  await login('demo_chief_liao0102');
  await page.goto(zx.base + '/#/funds');
  await page.locator('.el-tabs__item:has-text("超期未发放")').click();
  await page.locator('[data-test=bucket-gt30]').waitFor();
  assert.match(await page.locator('[data-test=bucket-gt30]').innerText(), /[1-9]\d* 案/);
  await page.locator('.el-tabs__item:has-text("对账")').click();
  await page.locator('[data-test=run-recon]').click();
  await page.locator('[data-test=recon-result]').waitFor();
  assert.match(await page.locator('[data-test=recon-result]').innerText(), /对账一致/);
  // logging out between roles answers 401 on /me by design, and navigating away aborts requests still in
  // flight (net::ERR_ABORTED); anything else is a page error
  assert.deepEqual(ui.errors.filter((e) => !/favicon|401 \(Unauthorized\)|net::ERR_ABORTED/.test(e)), []);
});

test('finance uploads a bank statement (error names the line, then all of it), asks for a correction; the chief approves it', async () => {
  const court = (await zx.sql("SELECT CAST(id AS TEXT) AS id FROM court WHERE code = '辽0102'"))[0].id;
  const k = (await zx.sql(`SELECT CAST(e.id AS TEXT) AS id, e.case_no, a.account_no FROM enf_case e JOIN fund_account a ON a.case_id = e.id AND a.kind = 2 WHERE e.court_id = ${court} AND e.status = 'open' ORDER BY e.id LIMIT 1`))[0];
  const d = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zx-ui-funds-'));
  const head = 'bank_ref,booked_on,amount,payer_name,payer_account,account_no,remark';
  const bad = path.join(dir, '对账单-错误.csv'), good = path.join(dir, '对账单.csv');
  fs.writeFileSync(bad, [head, `UI-1,${d},88.00,某付款人,,${k.account_no},`, `UI-2,${d},零元,某人,,,`].join('\n') + '\n');
  fs.writeFileSync(good, [head, `UI-1,${d},88.00,某付款人,,${k.account_no},`, `UI-2,${d},12.30,某人,,,货款`].join('\n') + '\n');
  await login('demo_finance_liao0102');
  await page.goto(zx.base + '/#/funds');
  await page.locator('[data-test=open-import]').click();
  await page.locator('[data-test=funds-import]').waitFor();
  await page.locator('input[data-test=import-file]').setInputFiles(bad);
  await page.locator('[data-test=import-start]').click();
  await page.locator('[data-test=import-error]').waitFor({ timeout: 20000 });
  assert.match(await page.locator('[data-test=import-error]').innerText(), /第3行/);
  assert.equal(Number((await zx.sql("SELECT COUNT(*) AS n FROM fund_arrival WHERE bank_ref LIKE 'UI-%'"))[0].n), 0);
  await page.locator('input[data-test=import-file]').setInputFiles(good);
  await page.locator('[data-test=import-start]').click();
  await page.locator('[data-test=import-result]').waitFor({ timeout: 20000 });
  assert.match(await page.locator('[data-test=import-result]').innerText(), /入账 2 笔/);
  await until(async () => /已完成/.test(await page.locator('[data-test=import-history]').innerText()));
  assert.deepEqual(noEnglish(await page.locator('[data-test=funds-import]').innerText()), []);
  await shot(page, 'ui-funds-import');

  // the 88.00 went to the case by its account number, but belongs in 待认领: ask for a correction
  await page.goto(zx.base + `/#/cases/${k.id}/funds`);
  const row = page.locator('[data-test=transfers] .el-table__body tr', { hasText: '88.00' }).first();
  await row.waitFor();
  await row.locator('[data-test=open-correct]').click();
  await page.locator('[data-test=correct-action] label:has-text("退回待认领")').click();
  await page.locator('textarea[data-test="correct-reason"], [data-test="correct-reason"] textarea').first().fill('付款人非本案当事人，误填案款账号');
  await page.locator('[data-test=correct-submit]').click();
  await until(async () => Number((await zx.sql("SELECT COUNT(*) AS n FROM fund_correction WHERE status = 'pending_approval'"))[0].n) > 0);
  assert.deepEqual(noEnglish(await page.locator('[data-test=funds-case]').innerText()), []);

  await login('demo_chief_liao0102');
  await page.goto(zx.base + '/#/funds');
  await page.locator('.el-tabs__item:has-text("案款更正")').click();
  await page.locator('[data-test=corrections] [data-test=correction-decide]').first().click();
  await page.locator('[data-test=correction-submit]').click();
  const done = await until(async () => Number((await zx.sql("SELECT COUNT(*) AS n FROM fund_correction WHERE status = 'done'"))[0].n) > 0);
  assert.ok(done, 'correction approved');
  const st = await zx.sql("SELECT status FROM fund_arrival WHERE bank_ref = 'UI-1'");
  assert.equal(st[0].status, 'unidentified');
  assert.deepEqual(noEnglish(await page.locator('[data-test=funds-desk]').innerText()), []);
  await shot(page, 'ui-funds-corrections');
  assert.deepEqual(ui.errors.filter((e) => !/favicon|401 \(Unauthorized\)|net::ERR_ABORTED/.test(e)), []);
});

test('the payout warning is on the judge\'s 待办: home page counters and the to-do list name 发放执行款', async () => {
  // the server's first alert pass (at start) put the demo money held past its warning on the handlers' to-do
  const rows = await zx.sql("SELECT u.username AS username, e.case_no AS case_no, d.due_on AS due_on FROM case_deadline d"
    + " JOIN enf_case e ON e.id = d.case_id JOIN app_user u ON u.id = d.handler_id"
    + " WHERE d.kind = 'funds_payout' AND d.done = 0 AND u.username LIKE 'demo_judge_%' ORDER BY u.username, d.due_on");
  assert.ok(rows.length >= 1, 'demo money held past its warning is on a judge\'s to-do');
  const want = rows[0];
  await login(want.username);
  await page.goto(zx.base + '/#/');
  const home = page.locator('[data-test=home-todo]');
  await home.waitFor();
  assert.ok(Number((await page.locator('[data-test=home-todo] .dl-overdue').innerText()).trim()) >= 1);
  // the to-do list (page by page, 50 a page) has the row: 发放执行款, its case, its due date, the notice's basis
  let found = null;
  for (let p = 1; p <= 20 && !found; p++) {
    await page.goto(zx.base + `/#/todo?page=${p}`);
    await page.reload();
    const tbl = page.locator('[data-test=todo-table] .el-table__body');
    await tbl.waitFor();
    await until(async () => (await tbl.locator('tr').count()) > 0);
    const trs = tbl.locator('tr');
    const n = await trs.count();
    for (let i = 0; i < n; i++) {
      const t = await trs.nth(i).innerText();
      if (t.includes('发放执行款') && t.includes(want.case_no)) { found = t; break; }
    }
    if (n < 50) break;
  }
  await shot(page, 'funds-todo');
  assert.ok(found, `发放执行款 for ${want.case_no} on the to-do list`);
  assert.ok(found.includes(want.due_on));
  assert.match(found, /法发〔2017〕6号/);
  assert.deepEqual(noEnglish(await page.locator('[data-test=todo-table]').innerText()), []);
  // the handler records that a deferral's cause ended (暂缓发放事由消除): pay within 10 days
  const dfr = (await zx.sql(`SELECT e.case_no AS case_no FROM fund_deferral d JOIN enf_case e ON e.id = d.case_id
    JOIN app_user u ON u.id = e.handler_id WHERE d.status = 'active' AND u.username = '${want.username}' LIMIT 1`))[0];
  if (dfr) {
    await page.goto(zx.base + '/#/funds?tab=deferrals');
    const drow = page.locator('[data-test=deferrals] .el-table__body tr', { hasText: dfr.case_no }).first();
    await drow.locator('[data-test=deferral-end]').click();
    await page.locator('[data-test=deferral-end-submit]').click();
    await drow.locator('td', { hasText: '事由已消除' }).first().waitFor();
    assert.match(await drow.innerText(), /\d{4}-\d{2}-\d{2}/);
  }
});

test('a debtor\'s payment from the bank statement to the applicant\'s account: import, case account, payout ≥ ¥100,000, chief, bank by API, confirmation', async () => {
  const court = (await zx.sql("SELECT CAST(id AS TEXT) AS id FROM court WHERE code = '辽0102'"))[0].id;
  const k = (await zx.sql(`SELECT CAST(e.id AS TEXT) AS id, e.case_no, a.account_no FROM enf_case e JOIN fund_account a ON a.case_id = e.id AND a.kind = 2
    WHERE e.court_id = ${court} AND e.status = 'open' AND e.claim_fen - e.recovered_fen > 20000000
    AND e.handler_id = (SELECT id FROM app_user WHERE username = 'demo_judge_liao0102')
    AND NOT EXISTS (SELECT 1 FROM fund_deferral d WHERE d.case_id = e.id) ORDER BY e.id DESC LIMIT 1`))[0];
  assert.ok(k, 'an open case of the demo judge with room for ¥200,000');
  const d = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zx-ui-walk-'));
  const file = path.join(dir, '专户对账单.csv');
  fs.writeFileSync(file, ['bank_ref,booked_on,amount,payer_name,payer_account,account_no,remark',
    `WALK-1,${d},150000.00,被执行人,6222000099990001,${k.account_no},履行判决款`].join('\n') + '\n');
  await login('demo_chief_liao0102');
  // 1. the chief's home page lists the payout escalations still open (demo money past its limit)
  await page.goto(zx.base + '/#/');
  const card = page.locator('[data-test=home-funds-escalations]');
  await card.waitFor();
  assert.match(await card.innerText(), /执行款超期未发放[\s\S]*已超期/);
  assert.deepEqual(noEnglish(await card.innerText()), []);
  await shot(page, 'ui-funds-walk-0-chief-home');
  // the chief sends payout instructions by the bank's API (发放设置)
  await page.goto(zx.base + '/#/funds');
  await page.locator('button:has-text("发放设置")').click();
  await page.locator('[data-test=settings-channel] label:has-text("银行接口")').click();
  await page.locator('.el-dialog button:has-text("保存")').click();
  await page.locator('[data-test=payout-channel]:has-text("银行接口")').waitFor();
  // 2. finance imports the statement: the line goes to the case by its account number
  await login('demo_finance_liao0102');
  await page.goto(zx.base + '/#/funds/import');
  await page.locator('input[data-test=import-file]').setInputFiles(file);
  await page.locator('[data-test=import-start]').click();
  await page.locator('[data-test=import-result]').waitFor({ timeout: 20000 });
  assert.match(await page.locator('[data-test=import-result]').innerText(), /入账 1 笔/);
  await shot(page, 'ui-funds-walk-1-import');
  // 3. the judge sees it on the case account and proposes ¥120,000 to the applicant: above the tier → the chief
  await login('demo_judge_liao0102');
  await page.goto(zx.base + `/#/cases/${k.id}/funds`);
  await page.locator('[data-test=transfers] .el-table__body tr', { hasText: '150,000.00' }).first().waitFor();
  await page.locator('[data-test=open-payout]').click();
  await inp('payee-name').fill('申请执行人');
  await inp('payee-account').fill('6222020400011112222');
  await inp('payout-amount').fill('120000');
  await page.locator('[data-test=payout-submit]').click();
  await page.locator('[data-test=case-send-state]').first().waitFor();
  const text = await page.locator('[data-test=funds-case]').innerText();
  assert.match(text, /待局长审批/);
  assert.deepEqual(noEnglish(text), []);
  await shot(page, 'ui-funds-walk-2-proposal');
  // 参与分配 on the same page: a plan (民诉解释 art 508), served today, an objection within its 15 days (art 509)
  // → the others may oppose within 15 days (art 510); the plan stays listed with its PDF and window
  await page.locator('[data-test=open-dist]').click();
  const crow = page.locator('[data-test=dist-claims] .el-table__body tr');
  await crow.nth(0).locator('input').nth(2).fill('1000');
  await crow.nth(1).locator('input').nth(0).fill('申请执行人甲');
  await crow.nth(1).locator('input').nth(2).fill('5000');
  await page.locator('[data-test=dist-submit]').click();
  await page.locator('[data-test=dist-serve]').click();
  await page.locator('.el-dialog:has-text("参与分配方案") button:has-text("关闭")').click();
  const plan = page.locator('[data-test=plans] .el-table__body tr').first();
  await plan.locator('[data-test=plan-status]:has-text("异议期内")').waitFor();
  await plan.locator('[data-test=plan-objection]').click();
  await page.locator('[data-test=plan-step-submit]').click();
  await plan.locator('[data-test=plan-status]:has-text("已提出异议")').waitFor();
  assert.match(await plan.innerText(), /反对意见期至 \d{4}-\d{2}-\d{2}（民诉解释第510条）/);
  assert.deepEqual(noEnglish(await page.locator('[data-test=funds-case]').innerText()), []);
  await shot(page, 'ui-funds-walk-2b-distribution');
  // 4. the chief approves it on the funds desk; the payout goes to the bank by API, signed; the bank pays and
  //    its signed confirmation posts the pending chain
  await login('demo_chief_liao0102');
  await page.goto(zx.base + '/#/funds?tab=payouts');
  const row = page.locator('[data-test=payouts] .el-table__body tr', { hasText: k.case_no }).first();
  await row.waitFor();
  await row.locator('button:has-text("审批")').first().click();
  await page.locator('.el-dialog button:has-text("确定")').click();
  const paid = await until(async () => (await zx.sql(`SELECT status FROM fund_payout WHERE case_id = ${k.id} ORDER BY created_ms DESC LIMIT 1`))[0]?.status === 'paid', 20000);
  assert.ok(paid, 'paid through the bank API');
  // 5. finance sees it paid by the bank's API with the bank's reference; the case account shows the payout out
  await login('demo_finance_liao0102');
  await page.goto(zx.base + '/#/funds?tab=payouts');
  const prow = page.locator('[data-test=payouts] .el-table__body tr', { hasText: k.case_no }).first();
  await prow.waitFor();
  assert.match(await prow.innerText(), /银行接口：银行已付款[\s\S]*银行流水号 9\d{19}/);
  assert.deepEqual(noEnglish((await page.locator('[data-test=funds-desk]').innerText())), []);
  await shot(page, 'ui-funds-walk-3-paid');
  await page.goto(zx.base + `/#/cases/${k.id}/funds`);
  await page.locator('[data-test=transfers] .el-table__body tr', { hasText: '120,000.00' }).first().waitFor();
  const acc = await page.locator('[data-test=funds-case]').innerText();
  assert.match(acc, /银行已付款/);
  await shot(page, 'ui-funds-walk-4-case-paid');
  // 6. 按方案发放: a plan whose objection procedure has ended (served 40 days ago, no objection — 民诉解释 arts
  //    509–510) is paid line by line from the plans table: the dialog comes filled with the creditor and what is
  //    left of the line's share (no 申请执行费 — the plan's cost line, art 508); the bank pays it by API; the line
  //    then reads 已发放完毕
  await login('demo_judge_liao0102');
  const jt = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  const served = new Date(Date.now() + 8 * 3600e3 - 40 * 86400e3).toISOString().slice(0, 10);
  const pr = await zx.api('POST', `/api/v1/cases/${k.id}/distributions`, { token: jt, body: { amount_fen: 300_000, claims: [
    { creditor: '执行费用', class: 'cost', claim_fen: 100_000 }, { creditor: '申请执行人乙', class: 'ordinary', claim_fen: 500_000 }] } });
  assert.equal(pr.status, 201, pr.text);
  assert.equal((await zx.api('POST', `/api/v1/funds/distributions/${pr.json.id}/serve`, { token: jt, body: { served_on: served } })).status, 200);
  assert.equal((await zx.api('POST', `/api/v1/funds/distributions/${pr.json.id}/outcome`, { token: jt, body: { outcome: 'no_objection' } })).json.status, 'final');
  await page.goto(zx.base + `/#/cases/${k.id}/funds`);
  const pline = page.locator('[data-test=plans] .el-table__body tr').first().locator('[data-test=plan-line]', { hasText: '申请执行人乙' });
  await pline.locator('[data-test=plan-line-pay]').waitFor();
  assert.match(await pline.innerText(), /已发放 ¥0\.00 · 在途 ¥0\.00 · 待发放 ¥2,000\.00/);
  await pline.locator('[data-test=plan-line-pay]').click();
  assert.equal(await inp('payee-name').inputValue(), '申请执行人乙');
  assert.equal(await inp('payout-amount').inputValue(), '2,000.00');
  assert.match(await page.locator('[data-test=payout-plan-ref]').innerText(), /参与分配方案第2项（申请执行人乙）/);
  await inp('payee-account').fill('6222020400033334444');
  await shot(page, 'ui-funds-walk-5-plan-payout');
  await page.locator('[data-test=payout-submit]').click();
  const planPaid = await until(async () => (await zx.sql(`SELECT status FROM fund_payout WHERE distribution_id = ${pr.json.id}`))[0]?.status === 'paid', 20000);
  assert.ok(planPaid, 'the plan line paid through the bank API');
  await page.goto(zx.base + `/#/cases/${k.id}`);
  await page.goto(zx.base + `/#/cases/${k.id}/funds`);
  await pline.locator('[data-test=plan-line-done]').waitFor();
  const ptext = await page.locator('[data-test=funds-case]').innerText();
  assert.match(ptext, /参与分配方案第2项/);
  assert.deepEqual(noEnglish(ptext), []);
  await page.locator('[data-test=plans]').scrollIntoViewIfNeeded();
  await shot(page, 'ui-funds-walk-6-plan-paid');
  // the funds desk names the payee's role (the plan's line) beside the name
  await login('demo_finance_liao0102');
  await page.goto(zx.base + '/#/funds?tab=payouts');
  const rrow = page.locator('[data-test=payouts] .el-table__body tr', { hasText: '申请执行人乙' }).first();
  await rrow.waitFor();
  assert.match(await rrow.locator('[data-test=payout-role]').innerText(), /参与分配债权人（方案第2项）/);
  const rec = await zx.cli(['funds', 'reconcile']);
  assert.equal(rec.code, 0, rec.stdout + rec.stderr);
  // the applicant's 发放 SMS went out through the outbox; the books balance
  // the demo's work mobiles: the warnings and escalations went out as SMS through the simulated gateway
  const sms = (await sim.api('GET', '/sms/v1/messages')).json.items;
  assert.ok(sms.some((m) => m.template === 'funds_payout_warning') && sms.some((m) => m.template === 'funds_payout_overdue'),
    JSON.stringify(sms.map((m) => m.template)));
  assert.deepEqual(ui.errors.filter((e) => !/favicon|401 \(Unauthorized\)|net::ERR_ABORTED/.test(e)), []);
});
