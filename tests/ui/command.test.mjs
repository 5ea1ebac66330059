// command.test.mjs — the command center in a real browser (issue 14 §7, §9): a city court's dashboard
// with the "3+1" against target, tiles drilling to their lists, the ranking exported to Excel; a
// 督办函 sent from the 登记与发起 page, answered by the basic court from its inbox drawer; a petition
// registered at the petition desk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, shot } from './lib.mjs';

let zx, ui, page;
let caseNo;
const field = (name) => page.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first();

async function login(username) {
  await ui.context.clearCookies();
  await page.goto(zx.base + '/#/login');
  await page.reload();
  await field('username').waitFor();
  await field('username').fill(username);
  await field('password').fill(zx.creds.demoPassword);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=user-court]').waitFor();
  ui.errors.length = 0; // the 401 of /me before signing in is expected
}

before(async () => {
  zx = await startServer();
  ui = await launchBrowser();
  page = ui.page;
  caseNo = zx.sql(`SELECT e.case_no AS no FROM enf_case e JOIN court c ON c.id = e.court_id WHERE c.code = '辽0102'
    AND e.status = 'open' AND e.type_code = '执' ORDER BY e.case_no DESC LIMIT 1`)[0].no;
});
after(async () => { await ui?.close(); await zx?.stop(); });

test('dashboard: 3+1 against target, tiles drill to lists, ranking exports to Excel', async () => {
  await login('demo_command_liao01');
  await page.goto(zx.base + '/#/command?court=辽01');
  await page.locator('[data-test=cmd-tiles]').waitFor();
  const t3 = await page.locator('[data-test=cmd-3p1]').innerText();
  for (const l of ['有财产可供执行案件法定期限内执结率', '无财产可供执行案件终本合格率', '执行信访办结率', '近三年执行案件整体结案率']) assert.ok(t3.includes(l), l);
  assert.match(t3, /≥ 90%/);
  assert.match(t3, /≥ 80%/);
  const rank = await page.locator('[data-test=cmd-rank] tbody tr').count();
  assert.ok(rank >= 3, `ranking rows ${rank}`);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=cmd-export-rank]').click()]);
  assert.match(dl.suggestedFilename(), /\.xlsx$/);
  await shot(page, 'ui-command-dashboard');
  // drill down: the tree's basic court → its judges' 3+1
  await page.locator('[data-test=cmd-tree]').getByText('沈阳市和平区人民法院').click();
  await page.locator('[data-test=cmd-drill] tbody tr').first().waitFor();
  await page.goto(zx.base + '/#/command?court=辽01');
  await page.locator('[data-test=cmd-tiles]').waitFor();
  await page.locator('[data-test=tile-overdue_cases]').click();
  await page.waitForURL(/#\/command\/list\/overdue_cases/);
  await page.locator('[data-test=list-table]').waitFor();
  assert.match(await page.locator('.page-head').innerText(), /超期未结案件/);
  assert.deepEqual(ui.errors.filter((e) => !/favicon/.test(e)), []);
});

test('dashboard: money held too long, controls, today\'s 查控 and auctions; each drills to its list', async () => {
  await page.goto(zx.base + '/#/command?court=辽01');
  await page.locator('[data-test=cmd-tiles]').waitFor();
  const tiles = await page.locator('[data-test=cmd-tiles]').innerText();
  for (const l of ['案款超5日未发放', '案款超10日未发放', '案款超15日未发放', '案款超30日未发放', '控制措施30日内到期', '控制措施已失效',
    '今日查询', '今日查到财产', '今日冻结金额', '今日扣划金额', '拍卖进行中', '本月拍卖成交', '本月流拍']) assert.ok(tiles.includes(l), l);
  assert.doesNotMatch(tiles, /[A-Za-z_]{3,}/); // Chinese only on screen
  for (const [k, title, mod] of [['funds_overdue_gt5', '案款超5日未发放', '到案款管理查看'],
    ['controls_expiring', '控制措施30日内到期', '到控制措施登记簿查看'], ['auctions_open', '拍卖进行中', '到网络司法拍卖查看']]) {
    await page.goto(zx.base + '/#/command?court=辽01');
    await page.locator(`[data-test=tile-${k}]`).click();
    await page.waitForURL(new RegExp(`#/command/list/${k}`));
    await page.locator('[data-test=list-table]').waitFor();
    assert.match(await page.locator('.page-head').innerText(), new RegExp(title));
    assert.match(await page.locator('[data-test=list-module]').innerText(), new RegExp(mod));
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=list-export]').click()]);
    assert.match(dl.suggestedFilename(), /\.xlsx$/);
  }
  await shot(page, 'ui-command-module-list');
  assert.deepEqual(ui.errors.filter((e) => !/favicon/.test(e)), []);
});

test('督办: the city court sends a letter, the basic court reports from its inbox', async () => {
  await page.goto(zx.base + '/#/command/new?tab=supervision');
  await field('sup-case').fill(caseNo);
  await field('sup-request').fill('当事人反映长期未采取执行措施，请限期报告');
  await page.locator('[data-test=sup-submit]').click();
  await page.waitForURL(/#\/command\/list\/supervision/);
  await page.locator('[data-test=list-table]').getByText(caseNo).first().waitFor();

  await login('demo_command_liao0102');
  await page.goto(zx.base + '/#/command/list/supervision?status=open');
  await page.locator('[data-test=list-table]').getByText(caseNo).first().click();
  await field('sup-report-text').fill('已冻结被执行人银行存款，拟于下周拍卖查封房产');
  await page.locator('[data-test=sup-report]').click();
  await page.locator('.el-drawer').filter({ visible: true }).waitFor({ state: 'hidden' });
  const row = zx.sql(`SELECT o.status AS s FROM supervision_order o JOIN enf_case e ON e.id = o.case_id WHERE e.case_no = '${caseNo}'`)[0];
  assert.equal(row.s, 'reported');
  assert.match(await page.locator('[data-test=list-table]').innerText(), /已报告/);
});

test('信访: the petition desk registers a petition with its deadlines', async () => {
  await page.goto(zx.base + '/#/command/new?tab=petition');
  await field('pet-name').fill('刘某某');
  await field('pet-content').fill('反映执行款长期未发放');
  await page.locator('[data-test=pet-submit]').click();
  await page.waitForURL(/#\/command\/list\/petitions/);
  await page.locator('[data-test=list-table]').getByText('刘某某').first().waitFor();
  await shot(page, 'ui-command-petitions');
  assert.deepEqual(ui.errors.filter((e) => !/favicon/.test(e)), []);
});

test('ranking shows "—" for a court with nothing measured; a moved case is listed as 已移出 in the old court with the new 案号', async () => {
  // the province ranking: 盘锦中院 handles no case of its own → "—", unranked, after the ranked courts
  await login('demo_command_liao');
  await page.goto(zx.base + '/#/command?court=辽');
  await page.locator('[data-test=cmd-rank] tbody tr').first().waitFor();
  const row = page.locator('[data-test=cmd-rank] tbody tr', { hasText: '盘锦市中级人民法院' }).first();
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells[0].trim(), '—', cells.join('|'));
  assert.ok(!cells.slice(2, 6).some((x) => /0\.00%/.test(x)), `no 0.00% for an empty figure: ${cells.join('|')}`);
  assert.ok(cells.slice(2, 5).every((x) => x.trim() === '—'), cells.join('|'));
  await page.locator('[data-test=cmd-rank]').scrollIntoViewIfNeeded();
  await shot(page, 'ui-command-rank-dash');
  // 交叉执行 of an overdue supervised case (through the API), then the old court's case list
  const cmd = await zx.login('demo_command_liao01', zx.creds.demoPassword);
  const no = zx.sql(`SELECT e.case_no AS no FROM enf_case e JOIN court c ON c.id = e.court_id WHERE c.code = '辽0102' AND e.status = 'open'
    AND e.type_code = '执' AND NOT EXISTS (SELECT 1 FROM supervision_order x WHERE x.case_id = e.id)
    AND NOT EXISTS (SELECT 1 FROM fund_payout p WHERE p.case_id = e.id AND p.status IN ('pending_approval', 'approved', 'sent'))
    AND NOT EXISTS (SELECT 1 FROM fund_account a WHERE a.case_id = e.id AND (a.debits_pending <> 0 OR a.credits_pending <> 0))
    AND NOT EXISTS (SELECT 1 FROM credit_decision d WHERE d.case_id = e.id AND d.status IN ('proposed', 'approved', 'served'))
    AND NOT EXISTS (SELECT 1 FROM approval a WHERE a.case_id = e.id AND a.kind = 'temporary_permit' AND a.status = 'pending')
    AND NOT EXISTS (SELECT 1 FROM auction_lot l WHERE l.case_id = e.id)
    ORDER BY e.case_no LIMIT 1`)[0].no; // (not a case the move would refuse: a decision or permit not yet in force, a disposal under way)
  let r = await zx.api('POST', '/api/v1/command/supervision', { token: cmd, body: { case_no: no, source: 'review', request: '超期未结，请说明原因' } });
  assert.equal(r.status, 201, r.text);
  zx.exec(`UPDATE supervision_order SET issued_on = '2020-01-02', due_on = '2020-01-12' WHERE CAST(id AS TEXT) = '${r.json.id}'`);
  r = await zx.api('POST', `/api/v1/command/supervision/${r.json.id}/escalate`, { token: cmd, body: { kind: 'cross', target_court: '辽0103' } });
  assert.equal(r.status, 200, r.text);
  await login('demo_judge_liao0102');
  await page.goto(zx.base + '/#/cases');
  await page.locator('[data-test=moved-out-table]').waitFor();
  const moved = page.locator('[data-test=moved-out-table] tbody tr', { hasText: no }).first();
  const text = await moved.innerText();
  assert.match(text, /已移出/);
  assert.match(text, /沈阳市沈河区人民法院/);
  assert.match(text, /只读/);
  assert.match(text, /\d{4}-\d{2}-\d{2}/);
  assert.match(text, /辽0103执\d+号/); // the new 案号 the receiving court filed
  assert.match(text, /终结执行/); // the old court's own case ended (立案结案意见 art 17)
  await page.locator('[data-test=moved-out-pager]').waitFor();
  await page.locator('[data-test=moved-out]').scrollIntoViewIfNeeded();
  await shot(page, 'ui-cases-moved-out');
  assert.deepEqual(ui.errors.filter((e) => !/favicon/.test(e)), []);
});
