// auction.test.mjs — issue 13 in a real browser: the public auction list and lot page with live
// bidding (a registered bidder pays the deposit and bids; another bidder's bid arrives through the
// Server-Sent Events stream; a bid in the last five minutes extends the end), the bidder's deposits,
// and the judge's disposal panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, shot, ROLE } from './lib.mjs';
import { idNumber, exec, pricedLot, openRound, registerBidder } from '../api/auction_lib.mjs';

let zx, ui, page, chief, lot, caseId;

before(async () => {
  zx = await startServer();
  const u = zx.userByRole(ROLE.chief, '辽0102');
  chief = await zx.login(u.username, zx.creds.demoPassword);
  ({ lot, caseId } = await pricedLot(zx, chief, { title: '浏览器测试住宅', caseOffset: 7 }));
  const r = await openRound(zx, chief, lot);
  assert.equal(r.status, 200, r.text);
  ui = await launchBrowser();
  page = ui.page;
});
after(async () => { await ui?.close(); await zx?.stop(); });

const field = (name) => page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();
const text = async (name) => (await page.locator(`[data-test="${name}"]`).first().innerText()).trim();

test('public lot page: register, deposit, bid, live update, last-5-minute bid extends the end', async () => {
  await page.goto(zx.base + '/#/auctions');
  await page.locator(`[data-test="lot-${lot}"] [data-test=lot-link]`).click();
  await page.locator('[data-test=lot-title]').waitFor();
  assert.equal(await text('lot-title'), '浏览器测试住宅');
  await page.locator('[data-test=live-connected]').waitFor();
  // real-name registration
  await page.locator('[data-test=go-register]').click();
  await field('reg-name').fill('浏览器竞买人');
  await field('reg-id').fill(idNumber('21010219880808001'));
  await page.locator('[data-test=reg-agree]').click();
  await page.locator('[data-test=reg-submit]').click();
  await page.locator('[data-test=bidder-alias]').waitFor();
  await page.goto(zx.base + `/#/auctions/${lot}`);
  await page.locator('[data-test=pay-deposit]').click();
  await field('bid-amount').waitFor();
  await field('bid-amount').fill('700000');
  await page.locator('[data-test=bid-submit]').click();
  await page.waitForFunction(() => document.querySelector('[data-test=live-seq]')?.textContent.trim() === '1');
  // another bidder's bid reaches the page through the stream
  const other = await registerBidder(zx, '另一竞买人', '11010519850505002');
  assert.equal((await zx.api('POST', `/api/v1/public/auctions/${lot}/deposit`, { token: other, body: {} })).status, 201);
  const t0 = Date.now();
  assert.equal((await zx.api('POST', `/api/v1/public/auctions/${lot}/bids`, { token: other, body: { amount_fen: 70500000 } })).status, 201);
  await page.waitForFunction(() => document.querySelector('[data-test=live-seq]')?.textContent.trim() === '2', null, { timeout: 3000 });
  assert.ok(Date.now() - t0 < 2000, 'the viewer saw the new price within about a second');
  assert.match(await text('live-price'), /705,000\.00/);

  // two minutes left after a restart: a bid now moves the end to bid time + 5 minutes
  await zx.restart(() => exec(zx, `UPDATE auction_round SET ends_ms = ${Date.now() + 120000} WHERE lot_id = ${lot}`));
  await page.reload();
  await page.locator('[data-test=live-connected]').waitFor();
  const endsBefore = await text('live-ends');
  assert.match(await text('live-left'), /^00:0[12]:/);
  await field('bid-amount').fill('710000');
  const before = Date.now();
  await page.locator('[data-test=bid-submit]').click();
  await page.waitForFunction((b) => document.querySelector('[data-test=live-ends]')?.textContent.trim() !== b, endsBefore);
  const left = await text('live-left');
  assert.match(left, /^00:0[45]:/, `time left after the extension: ${left}`);
  assert.equal(await text('live-seq'), '3');
  const row = zx.sql(`SELECT ends_ms FROM auction_round WHERE lot_id = ${lot}`)[0];
  assert.ok(Number(row.ends_ms) >= before + 300000 - 1000 && Number(row.ends_ms) <= Date.now() + 300000);
  await shot(page, 'auction-lot');
  // the bidder's deposits
  await page.goto(zx.base + '/#/auctions/bidder');
  await page.locator('[data-test=deposit-list]').waitFor();
  assert.match(await page.locator('[data-test=deposit-list]').innerText(), /冻结中/);
});

test('judge: disposal panel shows the price steps, the round and its bids', async () => {
  const u = zx.userByRole(ROLE.chief, '辽0102');
  await page.goto(zx.base + '/#/login');
  await field('username').waitFor();
  await field('username').fill(u.username);
  await field('password').fill(zx.changedPassword?.(u.username) || zx.creds.demoPassword);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=user-court]').waitFor();
  await page.goto(zx.base + `/#/cases/${caseId}/disposal`);
  const panel = page.locator(`[data-test="panel-lot-${lot}"]`);
  await panel.waitFor();
  assert.equal((await panel.locator('[data-test=lot-status]').innerText()).trim(), '拍卖中');
  const rounds = await panel.locator('[data-test=rounds]').innerText();
  assert.match(rounds, /第一次拍卖/);
  assert.match(rounds, /3次出价/);
  // a disposal cost through the panel's dialog: who bears it comes from the rules (参考价规定 art 33)
  await panel.locator('[data-test=new-cost]').click();
  const dialog = page.locator('.el-dialog').filter({ hasText: '登记处置费用' });
  await dialog.locator('input').nth(1).fill('某网络询价平台');
  await dialog.locator('input').nth(2).fill('3000');
  await page.locator('[data-test=dlg-submit]').click();
  await page.waitForFunction((id) => /被执行人负担（参考价规定第三十三条）/.test(document.querySelector(`[data-test="panel-lot-${id}"] [data-test=costs]`)?.innerText || ''), lot);
  // a priority claim on the lot (拍卖变卖规定 art 28) through the panel's dialog
  await panel.locator('[data-test=new-lien]').click();
  await field('lien-holder').fill('某银行沈阳分行');
  await field('lien-amount').fill('200000');
  await page.locator('[data-test=dlg-submit]').click();
  await page.waitForFunction((id) => /某银行沈阳分行[\s\S]*抵押权[\s\S]*200,000\.00/.test(document.querySelector(`[data-test="panel-lot-${id}"] [data-test=liens]`)?.innerText || ''), lot);
  await shot(page, 'auction-panel');
  // expected noise: /me answers 401 on the public pages (not signed in); leaving a lot page aborts its stream
  assert.deepEqual(ui.errors.filter((e) => !/favicon|status of 401|\/stream net::ERR_ABORTED/.test(e)), []);
});

test('judge: the applicant-creditor buyer sets the price off against its claim, then 执行回转 waits for the chief', async () => {
  const { lot: lot2, caseId: case2 } = await pricedLot(zx, chief, { title: '浏览器测试车辆', kind: 'movable', price: 10000000, caseOffset: 8 });
  assert.equal((await openRound(zx, chief, lot2, { start: 7000000, deposit: 700000, inc: 100000 })).status, 200);
  const A = await registerBidder(zx, '申请执行人丙', '21010219760606013');
  const idx = zx.sql("SELECT id_idx FROM auction_bidder WHERE name = '申请执行人丙'")[0].id_idx;
  exec(zx, `UPDATE case_party SET id_number = '${idx}', kind = 'person' WHERE id = (SELECT MIN(id) FROM case_party WHERE case_id = ${case2} AND role = 'applicant')`);
  exec(zx, `UPDATE enf_case SET claim_fen = recovered_fen + 50000000 WHERE id = ${case2}`);
  assert.equal((await zx.api('POST', `/api/v1/public/auctions/${lot2}/deposit`, { token: A, body: {} })).json.basis, 'applicant_creditor');
  assert.equal((await zx.api('POST', `/api/v1/public/auctions/${lot2}/bids`, { token: A, body: { amount_fen: 7000000 } })).status, 201);
  await zx.restart(() => exec(zx, `UPDATE auction_round SET ends_ms = ${Date.now() - 5000} WHERE lot_id = ${lot2}`));
  for (let i = 0; i < 60; i++) {
    const l = (await zx.api('GET', `/api/v1/lots/${lot2}`, { token: chief })).json;
    if (l.rounds[0].status === 'sold') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.goto(zx.base + `/#/cases/${case2}/disposal`);
  const panel = page.locator(`[data-test="panel-lot-${lot2}"]`);
  await panel.locator('[data-test=payment-setoff]').click();
  await page.locator('.el-message-box .el-button--primary').click();
  await panel.locator('[data-test=setoff]').waitFor();
  assert.match(await panel.locator('[data-test=setoff]').innerText(), /系申请执行人[\s\S]*以债权抵付/);
  await panel.locator('[data-test=restitution]').click();
  await field('restitution-doc').fill('（2026）辽0102执异7号');
  // the price it paid in money goes back as a payout: to the account given here
  await field('restitution-refund-bank').fill('中国建设银行沈阳分行');
  await field('restitution-refund-account').fill('6217 0000 1000 1234 567');
  await page.locator('[data-test=dlg-submit]').click();
  await panel.locator('[data-test=restitution-row]').waitFor();
  assert.match(await panel.locator('[data-test=restitution-row]').innerText(), /待院\/庭长审批[\s\S]*退款账户：[\s\S]*中国建设银行沈阳分行 \*\*\*\*4567/);
  await shot(page, 'auction-restitution');
  assert.deepEqual(ui.errors.filter((e) => !/favicon|status of 401|\/stream net::ERR_ABORTED/.test(e)), []);
});

test('judge: 执行回转 of a 以物抵债 — a new case is filed (执行工作规定 art 65 para 2); the thing cannot be returned: 折价赔偿 with both parties agreeing (art 66)', async () => {
  const { lot: lot3, caseId: case3 } = await pricedLot(zx, chief, { title: '浏览器测试设备', kind: 'movable', price: 10000000, caseOffset: 9 });
  assert.equal((await openRound(zx, chief, lot3, { start: 7000000, deposit: 700000, inc: 100000 })).status, 200);
  await zx.restart(() => exec(zx, `UPDATE auction_round SET ends_ms = ${Date.now() - 5000} WHERE lot_id = ${lot3}`));
  for (let i = 0; i < 60; i++) {
    const l = (await zx.api('GET', `/api/v1/lots/${lot3}`, { token: chief })).json;
    if (l.rounds[0].status === 'unsold') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal((await zx.api('POST', `/api/v1/lots/${lot3}/in-kind`, { token: chief, body: { creditor: '申请执行人', claim_fen: 9000000 } })).status, 200);
  await page.goto(zx.base + `/#/cases/${case3}/disposal`);
  const panel = page.locator(`[data-test="panel-lot-${lot3}"]`);
  await panel.locator('[data-test=restitution]').click();
  await page.locator('.el-dialog .el-select').first().click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '执行依据被撤销' }).click();
  await field('restitution-doc').fill('（2026）辽01民再8号');
  await page.locator('[data-test=dlg-submit]').click();
  await panel.locator('[data-test=restitution-row]').waitFor();
  const x = (await zx.api('GET', `/api/v1/lots/${lot3}`, { token: chief })).json.restitutions[0];
  assert.equal((await zx.api('POST', `/api/v1/approvals/${x.approval_id}/approve`, { token: chief, body: { opinion: '同意' } })).status, 200);
  await page.reload();
  await panel.locator('[data-test=restitution-case]').waitFor();
  assert.match(await panel.locator('[data-test=restitution-case]').innerText(), /重新立案：.*执\d+号/);
  // without both parties' consent the server refuses; with it the value becomes the new case's claim
  await panel.locator('[data-test=outcome-compensate]').click();
  await field('compensate-value').fill('68000');
  await page.locator('[data-test=dlg-submit]').click();
  await page.locator('.el-message--error').waitFor();
  await page.locator('[data-test=compensate-agree]').click();
  await page.locator('[data-test=dlg-submit]').click();
  await panel.getByText('经双方同意折价赔偿').waitFor();
  assert.match(await panel.locator('[data-test=restitution-outcome]').innerText(), /折价 ¥?68,000\.00/);
  await shot(page, 'auction-restitution-compensated');
  assert.deepEqual(ui.errors.filter((e) => !/favicon|status of 401|status of 409|\/stream net::ERR_ABORTED/.test(e)), []);
});
