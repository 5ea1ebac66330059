// Party portal in the browser on a 390-px phone (issue 15 items 1, 2, 7): 案号 + 查询码 → SMS code from the
// simulated gateway → "my case" (nodes, owed today, pay-in account); the page and the public portal
// fit the width; a wrong query code shows an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, shot, PASSWORDS } from './lib.mjs';
import { startSim } from '../api/lib.mjs';
import { idNumber } from '../api/ids.mjs';

let zx, sim, ui;
const pad = (n) => String(n).padStart(2, '0');
function daysAgo(n) {
  const d = new Date(Date.now() + 8 * 3600e3 - n * 86400e3);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const PHONE = '13900000191';
const inp = (page, t) => page.locator(`[data-test=${t}] input, input[data-test=${t}]`).first();

before(async () => {
  sim = await startSim();
  zx = await startServer({ env: { ZX_SIM_URL: sim.url }, serveEnv: { ZX_PUBLIC_RATE_PER_MIN: '1000' } });
  ui = await launchBrowser({ viewport: { width: 390, height: 844 } });
});
after(async () => { await ui?.close(); await zx?.stop(); await sim?.stop(); });

test('debtor on a 390-px phone: query code + SMS code → my case with what is owed today; fits the width', async () => {
  const clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  const judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  const judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
  let r = await zx.api('POST', '/api/v1/cases', { token: clerk, body: {
    type_code: '执', applied_on: daysAgo(1), claim_fen: 5_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初8801号', effective_on: daysAgo(40) },
    conditions: { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true },
    parties: [
      { role: 'applicant', kind: 'person', name: '赵申请', id_number: idNumber('210102', '19820315', 501) },
      { role: 'debtor', kind: 'person', name: '钱欠款', id_number: idNumber('210103', '19751104', 502), phone: PHONE },
    ] } });
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  assert.equal((await zx.api('PUT', `/api/v1/cases/${c.id}/assignment`, { token: clerk, body: { handler_id: judgeId } })).status, 200);
  const code = (await zx.api('GET', `/api/v1/cases/${c.id}/portal-codes`, { token: judge })).json.parties.find((p) => p.role === 'debtor').query_code;

  const { page } = ui;
  await page.goto(`${zx.base}/#/my-case`);
  await inp(page, 'pp-case-no').fill(c.case_no);
  await inp(page, 'pp-query-code').fill('WRONGCOD');
  await page.click('[data-test=pp-send]');
  await page.waitForSelector('[data-test=pp-error]');
  assert.match(await page.textContent('[data-test=pp-error]'), /查询码不正确/);
  await inp(page, 'pp-query-code').fill(code);
  await page.click('[data-test=pp-send]');
  await inp(page, 'pp-otp').waitFor();
  let otp = null;
  for (let i = 0; i < 100 && !otp; i++) {
    const items = (await sim.api('GET', `/sms/v1/messages?to=${PHONE}`)).json.items.filter((m) => m.template === 'portal_otp');
    if (items.length) otp = /验证码：(\d{6})/.exec(items[items.length - 1].text)[1];
    else await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(otp, 'one-time code at the simulated gateway');
  await inp(page, 'pp-otp').fill(otp);
  await page.click('[data-test=pp-verify]');
  await page.waitForSelector('[data-test=pp-case]');
  assert.equal((await page.textContent('[data-test=pp-case-title]')).trim(), c.case_no);
  // 40 days × 5,000,000 fen × 0.000175 = 35,000 fen → 50,350.00 yuan in all
  assert.match(await page.textContent('[data-test=pp-owed-total]'), /50,350\.00/);
  assert.match(await page.textContent('[data-test=pp-pay-to]'), /^95\d{16}$/);
  assert.match(await page.textContent('[data-test=pp-nodes]'), /立案/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page wider than the phone by ${overflow}px`);
  const body = await page.textContent('body');
  assert.ok(!/\b(applicant|debtor|filed|assigned|open)\b/.test(body), 'no codes on screen');
  await shot(page, 'portal-party-390');
  // a message to the handler from the phone: it lands in the list with its reply clock
  await page.locator('textarea[data-test=pp-message], [data-test=pp-message] textarea').first().fill('请问何时可以分期履行？');
  await page.click('[data-test=pp-message-send]');
  await page.waitForSelector('[data-test=pp-sent]');
  // the page reloads "my case" after sending; its answer waits for the view's audit commit (viewlog.c)
  await page.waitForFunction(() => /请问何时可以分期履行？/.test(document.querySelector('[data-test=pp-messages]')?.textContent || ''));
  assert.match(await page.textContent('[data-test=pp-messages]'), /请问何时可以分期履行？[\s\S]*等待答复/);
  // the judge answers in 当事人来件 (staff UI, same browser); the answer is on the phone afterwards
  await page.goto(`${zx.base}/#/login`);
  await page.locator('input[data-test="username"], [data-test="username"] input').first().fill('demo_judge_liao0102');
  await page.locator('input[data-test="password"], [data-test="password"] input').first().fill(PASSWORDS.demo);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=user-court]').waitFor();
  await page.goto(`${zx.base}/#/portal-inbox`);
  const row = page.locator('[data-test=inbox-table] .el-table__row', { hasText: '请问何时可以分期履行？' }).first();
  await row.waitFor();
  await row.locator('[data-test=inbox-reply]').click();
  await page.locator('textarea[data-test=inbox-text], [data-test=inbox-text] textarea').first().fill('请到法院执行局面谈。');
  await page.click('[data-test=inbox-submit]');
  await page.waitForFunction(() => !document.querySelector('[data-test=inbox-table]')?.textContent.includes('请问何时可以分期履行？'));
  await shot(page, 'portal-inbox');
  await page.goto(`${zx.base}/#/my-case`);
  await page.waitForSelector('[data-test=pp-reply]');
  assert.match(await page.textContent('[data-test=pp-reply]'), /请到法院执行局面谈/);
  await page.click('[data-test=pp-logout]');
  await page.waitForSelector('[data-test=pp-send]');
  assert.deepEqual(ui.errors.filter((e) => !/401|423|Unauthorized/.test(e)), []);
});

test('public platform on a 390-px phone: one search over the lists, auction lots and 悬赏; open statistics with charts and CSV', async () => {
  const { page } = ui;
  const lots = (await zx.api('GET', '/api/v1/public/auctions')).json.auctions;
  const word = [...lots[0].title].slice(0, 4).join('');
  await page.goto(`${zx.base}/#/open`);
  await inp(page, 'open-q').fill(word);
  await page.click('[data-test=open-search]');
  await page.waitForSelector('[data-test=open-results]');
  assert.match(await page.textContent('[data-test=open-auctions]'), new RegExp(word));
  for (const k of ['dishonest', 'restricted', 'debtor', 'interim_closure']) await page.waitForSelector(`[data-test=open-${k}]`);
  let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `search page wider than the phone by ${overflow}px`);
  await shot(page, 'portal-open-390');
  await page.goto(`${zx.base}/#/open/stats`);
  await page.waitForSelector('[data-test=stats-chart-cases] canvas');
  await page.waitForSelector('[data-test=stats-table] .el-table__row');
  const href = await page.getAttribute('[data-test=stats-csv]', 'href');
  const csv = await fetch(`${zx.base}${href}`);
  assert.equal(csv.status, 200);
  assert.match(await csv.text(), /法院,月份,收案数/);
  overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `statistics page wider than the phone by ${overflow}px`);
  const body = await page.textContent('body');
  assert.ok(!/\b(applicant|debtor|received|closed|pending|undefined|null)\b/.test(body), 'Chinese only');
  assert.match(body, /沈阳市和平区人民法院/, 'courts by name');
  await shot(page, 'portal-stats-390');
  assert.deepEqual(ui.errors.filter((e) => !/401|423|Unauthorized/.test(e)), []);
});

test('public lists on a 390-px phone: coercive measures (masked) and case-flow with its nodes; a lawyer signs in once and switches cases', async () => {
  const { page } = ui;
  const clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  const judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  const chief = await zx.login('demo_chief_liao0102', PASSWORDS.demo);
  const judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
  const cases = [];
  for (let i = 0; i < 2; i++) {
    let r = await zx.api('POST', '/api/v1/cases', { token: clerk, body: {
      type_code: '执', applied_on: daysAgo(1), claim_fen: 3_000_000,
      basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: `（2024）辽0102民初88${20 + i}号`, effective_on: daysAgo(40) },
      conditions: { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true },
      parties: [
        { role: 'applicant', kind: 'person', name: `孙申请${i}`, id_number: idNumber('210102', '19820315', 521 + i), phone: `1390000026${i}` },
        { role: 'debtor', kind: 'person', name: `李拒执${i}`, id_number: idNumber('210103', '19751104', 531 + i) },
      ] } });
    assert.equal(r.status, 201, r.text);
    assert.equal((await zx.api('PUT', `/api/v1/cases/${r.json.id}/assignment`, { token: clerk, body: { handler_id: judgeId } })).status, 200);
    cases.push(r.json);
  }
  let r = await zx.api('POST', `/api/v1/cases/${cases[0].id}/actions/coercive_measure`, { token: judge,
    body: { measure: 'detention', target_kind: 'person', target_name: '李拒执0', days: 10 } });
  assert.equal(r.status, 202, r.text);
  assert.equal((await zx.api('POST', `/api/v1/approvals/${r.json.approval.id}/approve`, { token: chief, body: { opinion: '同意' } })).status, 200);

  await page.goto(`${zx.base}/#/open`);
  await page.locator('.el-tabs__item', { hasText: '强制措施' }).click();
  await inp(page, 'measures-q').fill(cases[0].case_no);
  await page.click('[data-test=measures-search]');
  await page.locator('[data-test=measure-item]', { hasText: cases[0].case_no }).first().waitFor();
  const mt = await page.locator('[data-test=measure-item]').first().innerText();
  assert.match(mt, /拘留/);
  assert.match(mt, /李某/);
  assert.match(mt, /拘留 10 日/);
  assert.ok(!mt.includes('李拒执0'), 'a person\'s full name is not published');
  let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `measures wider than the phone by ${overflow}px`);
  await shot(page, 'portal-open-measures-390');
  await page.locator('.el-tabs__item', { hasText: '流程信息' }).click();
  await inp(page, 'flow-q').fill(cases[0].case_no);
  await page.click('[data-test=flow-search]');
  await page.locator('[data-test=flow-nodes]').waitFor();
  const ft = await page.locator('[data-test=flow-item]').first().innerText();
  assert.match(ft, /立案/);
  assert.match(ft, /在办/);
  assert.ok(!/孙申请|李拒执/.test(ft), 'no parties on the flow list');
  overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `flow wider than the phone by ${overflow}px`);
  const body = await page.textContent('body');
  assert.ok(!/\b(fine|detention|person|open|closed|null|undefined)\b/.test(body), 'Chinese only');
  await shot(page, 'portal-open-flow-390');

  // a lawyer confirmed on both cases: one sign-in by licence number, then the case list and a switch
  const LIC = '12101201910777777';
  for (const c of cases) {
    const pid = (await zx.api('GET', `/api/v1/cases/${c.id}/portal-codes`, { token: judge })).json.parties.find((p) => p.role === 'applicant').party_id;
    r = await zx.api('POST', `/api/v1/cases/${c.id}/lawyers`, { token: judge, body: { party_id: pid, name: '周律师', licence_no: LIC, firm: '辽宁某律师事务所', phone: '13900000269' } });
    assert.equal(r.status, 201, r.text);
  }
  await page.goto(`${zx.base}/#/my-case`);
  await page.click('[data-test=pp-mode-lawyer]');
  await inp(page, 'pp-licence').fill(LIC);
  await page.click('[data-test=pp-send]');
  await inp(page, 'pp-otp').waitFor();
  let otp = null;
  for (let i = 0; i < 100 && !otp; i++) {
    const items = (await sim.api('GET', '/sms/v1/messages?to=13900000269')).json.items.filter((m) => m.template === 'portal_lawyer_otp');
    if (items.length) otp = /验证码：(\d{6})/.exec(items[items.length - 1].text)[1];
    else await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(otp);
  await inp(page, 'pp-otp').fill(otp);
  await page.click('[data-test=pp-verify]');
  await page.waitForSelector('[data-test=pp-lawyer-cases]');
  const first = (await page.textContent('[data-test=pp-case-title]')).trim();
  const other = cases.find((c) => c.case_no !== first);
  await page.click(`[data-test=pp-switch-${other.id}]`);
  await page.waitForFunction((no) => document.querySelector('[data-test=pp-case-title]')?.textContent.trim() === no, other.case_no);
  assert.match(await page.textContent('[data-test=pp-lawyer-cases]'), /我的代理案件（2件）/);
  // a 律师调查令 from the phone; the judge issues it; the institution checks it on the open platform (390 px)
  const ta = (t) => page.locator(`textarea[data-test=${t}], [data-test=${t}] textarea`).first();
  await inp(page, 'pp-order-inst').fill('沈阳市某银行');
  await ta('pp-order-scope').fill('被执行人名下账户的开户及交易明细');
  await ta('pp-order-reason').fill('查明被执行人财产去向');
  await page.click('[data-test=pp-order-send]');
  await page.waitForFunction(() => /待法院审查/.test(document.querySelector('[data-test=pp-orders]')?.textContent || ''));
  overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `lawyer page wider than the phone by ${overflow}px`);
  await shot(page, 'portal-lawyer-cases-390');
  const ord = (await zx.api('GET', '/api/v1/portal-inbox?kind=orders', { token: judge })).json.items.find((x) => /沈阳市某银行/.test(x.text));
  r = await zx.api('POST', `/api/v1/portal-inbox/orders/${ord.id}/decide`, { token: judge, body: { issue: true, opinion: '准予签发。' } });
  assert.equal(r.status, 200, r.text);
  await page.click('[data-test=pp-logout]');
  await page.waitForSelector('[data-test=pp-send]');
  await page.goto(`${zx.base}/#/open`);
  await page.locator('.el-tabs__item', { hasText: '调查令核验' }).click();
  await inp(page, 'order-code').fill(r.json.verify_code);
  await page.click('[data-test=order-verify]');
  await page.waitForSelector('[data-test=order-result]');
  assert.match(await page.textContent('[data-test=order-result]'), /调查令真实有效[\s\S]*周律师[\s\S]*沈阳市某银行/);
  overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `order check wider than the phone by ${overflow}px`);
  await shot(page, 'portal-open-order-390');
  assert.deepEqual(ui.errors.filter((e) => !/401|423|Unauthorized/.test(e)), []);
});

test('悬赏 tip on a 390-px phone: the tipster gets an SMS code and the tip is registered only after entering it', async () => {
  const { page } = ui;
  const clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  const judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  const judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
  let r = await zx.api('POST', '/api/v1/cases', { token: clerk, body: {
    type_code: '执', applied_on: daysAgo(1), claim_fen: 8_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初8851号', effective_on: daysAgo(40) },
    conditions: { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true },
    parties: [
      { role: 'applicant', kind: 'person', name: '吴申请', id_number: idNumber('210102', '19820315', 541), phone: '13900000281' },
      { role: 'debtor', kind: 'person', name: '郑下落', id_number: idNumber('210103', '19751104', 542) },
    ] } });
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  assert.equal((await zx.api('PUT', `/api/v1/cases/${c.id}/assignment`, { token: clerk, body: { handler_id: judgeId } })).status, 200);
  const qc = (await zx.api('GET', `/api/v1/cases/${c.id}/portal-codes`, { token: judge })).json.parties.find((p) => p.role === 'applicant').query_code;
  const smsCode = async (phone, template) => {
    for (let i = 0; i < 100; i++) {
      const items = (await sim.api('GET', `/sms/v1/messages?to=${phone}`)).json.items.filter((m) => m.template === template);
      if (items.length) return /验证码：(\d{6})/.exec(items[items.length - 1].text)[1];
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`no ${template} to ${phone}`);
  };
  r = await zx.api('POST', '/api/v1/portal/party/login', { body: { case_no: c.case_no, query_code: qc } });
  const v = await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: r.json.login_id, code: await smsCode('13900000281', 'portal_otp') } });
  const app = `zx_portal=${/zx_portal=([0-9a-f]{64})/.exec(v.headers.get('set-cookie'))[1]}`;
  r = await zx.api('POST', '/api/v1/portal/party/rewards', { cookie: app, body: { amount_fen: 300_000, commitment: true } });
  assert.equal(r.status, 201, r.text);
  const rid = r.json.id;
  assert.equal((await zx.api('POST', `/api/v1/portal-inbox/rewards/${rid}/decide`, { token: judge, body: { approve: true, opinion: '准许悬赏。', publish_days: 30 } })).status, 200);

  await page.goto(`${zx.base}/#/open`);
  await page.reload(); // the page may already be open (the previous test ends on it): load the notices afresh
  await page.locator('.el-tabs__item', { hasText: '悬赏公告' }).click();
  const card = page.locator(`[data-test=open-reward-${rid}]`);
  await card.locator('[data-test=open-tip]').click();
  await inp(page, 'tip-name').fill('王举报');
  await inp(page, 'tip-id').fill(idNumber('210104', '19900101', 551));
  await inp(page, 'tip-phone').fill('13900000289');
  await page.locator('textarea[data-test=tip-clue], [data-test=tip-clue] textarea').first().fill('被执行人在和平区某小区停放一辆白色轿车。');
  await page.click('[data-test=tip-send]');
  await inp(page, 'tip-code').waitFor();
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM reward_tip WHERE reward_id = ${rid}`)[0].n), 0, 'not registered before the code');
  await shot(page, 'portal-open-tip-code-390');
  await inp(page, 'tip-code').fill(await smsCode('13900000289', 'portal_tip_otp'));
  await page.click('[data-test=tip-verify]');
  await page.waitForSelector('[data-test=open-tip-done]');
  assert.match(await page.textContent('[data-test=open-tip-done]'), /手机号码已验证[\s\S]*登记序号 1/);
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM reward_tip WHERE reward_id = ${rid} AND verified_ms IS NOT NULL`)[0].n), 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `tip form wider than the phone by ${overflow}px`);
  await shot(page, 'portal-open-tip-done-390');
  assert.deepEqual(ui.errors.filter((e) => !/401|423|Unauthorized/.test(e)), []);
});

test('applicant of the demo case on a 390-px phone: money in and out, the court\'s number, an answered message; a clue with a photo reaches 当事人来件 with its clock', async () => {
  const { page } = ui;
  const judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  // the demo's case with portal records (src/portal/demo.c): its applicant's query code, as the 受理通知书 prints it
  const row = zx.sql(`SELECT CAST(c.case_id AS TEXT) AS case_id, CAST(c.party_id AS TEXT) AS party_id, e.case_no FROM portal_clue c
    JOIN enf_case e ON e.id = c.case_id ORDER BY c.created_ms LIMIT 1`)[0];
  assert.ok(row, 'the portal demo');
  const codes = (await zx.api('GET', `/api/v1/cases/${row.case_id}/portal-codes`, { token: judge })).json.parties;
  const qc = codes.find((p) => p.party_id === row.party_id).query_code;
  await page.goto(`${zx.base}/#/my-case`);
  await inp(page, 'pp-case-no').fill(row.case_no);
  await inp(page, 'pp-query-code').fill(qc);
  await page.click('[data-test=pp-send]');
  await inp(page, 'pp-otp').waitFor();
  let otp = null;
  for (let i = 0; i < 100 && !otp; i++) { // the gateway's list of every message: the one-time code for this 案号
    const items = (await sim.api('GET', '/sms/v1/messages')).json.items.filter((m) => m.template === 'portal_otp' && m.text.includes(row.case_no));
    if (items.length) otp = /验证码：(\d{6})/.exec(items[items.length - 1].text)[1];
    else await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(otp, 'one-time code at the simulated gateway');
  await inp(page, 'pp-otp').fill(otp);
  await page.click('[data-test=pp-verify]');
  await page.waitForSelector('[data-test=pp-case]');
  assert.match(await page.textContent('[data-test=pp-contact-phone]'), /^024-\d{8}$/);
  const moves = await page.textContent('[data-test=pp-moves]');
  assert.match(moves, /案款到账\+¥[\d,.]+/);
  assert.match(moves, /执行款发放−¥[\d,.]+/);
  assert.match(await page.textContent('[data-test=pp-messages]'), /法官：本院已收到被执行人交来的部分执行款/);
  assert.match(await page.textContent('[data-test=pp-clues]'), /待核查（法院应于\d{4}-\d{2}-\d{2}前核查）/);
  // a new clue with a photo from the phone (the file picker is the page's own, in Chinese)
  await page.locator('textarea[data-test=pp-clue], [data-test=pp-clue] textarea').first().fill('被执行人在和平区某商场有一间商铺，正在对外出租。');
  await page.setInputFiles('[data-test=pp-clue-files]', { name: '商铺照片.png', mimeType: 'image/png',
    buffer: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex') });
  await page.waitForFunction(() => /已选1个：商铺照片\.png/.test(document.querySelector('[data-test=pp-clue-chosen]')?.textContent || ''));
  await page.click('[data-test=pp-clue-send]');
  await page.waitForSelector('[data-test=pp-sent]');
  await page.waitForFunction(() => /商铺/.test(document.querySelector('[data-test=pp-clues]')?.textContent || ''));
  assert.match(await page.textContent('[data-test=pp-clues]'), /商铺[\s\S]*附件1个/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `applicant page wider than the phone by ${overflow}px`);
  const body = await page.textContent('body');
  assert.ok(!/\b(applicant|debtor|pending|found|none|in|out|null|undefined)\b/.test(body), 'Chinese only');
  await shot(page, 'portal-applicant-390');
  await page.click('[data-test=pp-logout]');
  await page.waitForSelector('[data-test=pp-send]');
  // the judge's side: the clue is in 当事人来件 with its clock; verified, the answer is on the portal
  const clue = (await zx.api('GET', '/api/v1/portal-inbox?kind=clues', { token: judge })).json.items.find((x) => /商铺/.test(x.text));
  assert.ok(clue && clue.attachments.length === 1 && clue.due_on, JSON.stringify(clue));
  // the staff case page shows every SMS of the case with its delivery status (item 4), one-time codes unread
  await page.setViewportSize({ width: 1366, height: 860 });
  await page.goto(`${zx.base}/#/login`);
  await page.waitForSelector('[data-test=username], [data-test=user-court]'); // the first test left the judge signed in
  if (!(await page.locator('[data-test=user-court]').count())) {
    await page.locator('input[data-test="username"], [data-test="username"] input').first().fill('demo_judge_liao0102');
    await page.locator('input[data-test="password"], [data-test="password"] input').first().fill(PASSWORDS.demo);
    await page.locator('[data-test=login]').click();
    await page.locator('[data-test=user-court]').waitFor();
  }
  await page.goto(`${zx.base}/#/cases/${row.case_id}?tab=sms`);
  await page.locator('[data-test=case-sms] .el-table__row').first().waitFor();
  const sms = await page.textContent('[data-test=case-sms]');
  assert.match(sms, /登录验证码[\s\S]*登录验证码（内容不显示）/);
  assert.match(sms, /已送达|待发送/);
  assert.ok(!/\b(queued|sent|portal_otp|portal_node|funds_arrival)\b/.test(sms) && !new RegExp(otp).test(sms), 'Chinese only, no code');
  await shot(page, 'portal-case-sms');
  await page.setViewportSize({ width: 390, height: 844 });
  assert.deepEqual(ui.errors.filter((e) => !/401|423|Unauthorized/.test(e)), []);
});
