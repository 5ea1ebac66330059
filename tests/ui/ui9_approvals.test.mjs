// ui9_approvals.test.mjs — the approval inbox in a browser: a judge's fine request (API) appears on the
// chief's home page and in 审批事项 with its age; the chief returns one with an opinion and approves the
// other through the dialog; the case timeline then shows the decision.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, shot, PASSWORDS } from './lib.mjs';

let zx, ui, page;
const tok = {};
const pad = (n) => String(n).padStart(2, '0');
const ymd = (t) => { const d = new Date(t + 8 * 3600e3); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; };
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(area, birth, seq) {
  const body = `${area}${birth}${String(seq).padStart(3, '0')}`;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * W[i];
  return body + '10X98765432'[s % 11];
}
async function fileCase() {
  const d = ymd(Date.now() - 86400e3);
  let r = await zx.api('POST', '/api/v1/cases', { token: tok.clerk, body: {
    type_code: '执', applied_on: d, claim_fen: 3_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初9号', effective_on: ymd(Date.now() - 300 * 86400e3) },
    conditions: { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true },
    parties: [{ role: 'applicant', kind: 'person', name: '赵一', id_number: idNumber('210102', '19800315', 123) },
      { role: 'debtor', kind: 'person', name: '钱二', id_number: idNumber('210103', '19751104', 91) }] } });
  assert.equal(r.status, 201, r.text);
  const judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
  r = await zx.api('PUT', `/api/v1/cases/${r.json.id}/assignment`, { token: tok.clerk, body: { handler_id: judgeId } });
  assert.equal(r.status, 200, r.text);
  return r.json;
}
async function login(username) {
  await ui.context.clearCookies();
  await page.goto(zx.base + '/#/login');
  await page.reload();
  await page.locator('input[data-test="username"], [data-test="username"] input').first().fill(username);
  await page.locator('input[data-test="password"], [data-test="password"] input').first().fill(PASSWORDS.demo);
  await page.locator('[data-test=login]').click();
  await page.locator('[data-test=user-court]').waitFor();
}

before(async () => {
  zx = await startServer();
  tok.clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  tok.judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  ui = await launchBrowser();
  page = ui.page;
});
after(async () => { await ui?.close(); await zx?.stop(); });

test('chief: home shows what waits; return with an opinion and approve from the inbox', async () => {
  const c1 = await fileCase(), c2 = await fileCase();
  for (const c of [c1, c2]) {
    const r = await zx.api('POST', `/api/v1/cases/${c.id}/actions/coercive_measure`, { token: tok.judge,
      body: { measure: 'fine', target_kind: 'person', target_name: '钱二', amount_fen: 200_000 } });
    assert.equal(r.status, 202, r.text);
  }
  await login('demo_chief_liao0102');
  const home = page.locator('[data-test=home-approvals]');
  await home.waitFor();
  // the home card lists the oldest waiting items first; the demo's own proposals may fill it, so it is
  // checked for a count and rows, and the two new items are looked up in the inbox below
  const homeText = await home.innerText();
  assert.match(homeText, /待我审批/);
  assert.ok(/执\d+号/.test(homeText), homeText.slice(0, 300));
  await shot(page, 'ui9-approvals-home');
  await page.locator('[data-test="nav-/approvals"]').click();
  const table = page.locator('[data-test=approval-table]');
  await table.locator('tbody tr').first().waitFor();
  // the inbox lists the oldest first, 20 a page, and the demo's own items come first: page on as a user would
  async function onItsPage(caseNo) {
    const row = table.locator('tbody tr').filter({ hasText: caseNo }).first();
    const first = page.locator('.pager .el-pager li.number').first();
    const settled = async () => { await page.waitForTimeout(200); await page.locator('[data-test=approval-table] .el-loading-mask').waitFor({ state: 'hidden' }).catch(() => {}); };
    if (await first.count()) { await first.click(); await settled(); }
    for (let i = 0; i < 20 && !(await row.count()); i++) {
      const next = page.locator('.pager .btn-next');
      if (!(await next.count()) || await next.isDisabled()) break;
      await next.click();
      await settled();
    }
    await row.waitFor();
    return row;
  }
  const row1 = await onItsPage(c1.case_no);
  assert.match(await row1.innerText(), /罚款决定/);
  assert.match(await row1.innerText(), /0 天/);
  // return without an opinion is refused on the page; with one it goes through
  await row1.locator('[data-test=return]').click();
  const dlg = page.locator('[data-test=decide-dialog]').filter({ visible: true });
  await dlg.locator('textarea').fill('');
  await dlg.locator('[data-test=decide-confirm]').click();
  await dlg.getByText('退回须填写审批意见').waitFor();
  await dlg.locator('textarea').fill('罚款金额依据不足，请补充被执行人妨害执行的证据');
  await dlg.locator('[data-test=decide-confirm]').click();
  await dlg.waitFor({ state: 'hidden' });
  await table.locator('tbody tr').filter({ hasText: c1.case_no }).waitFor({ state: 'detached' });
  const row2 = await onItsPage(c2.case_no);
  await row2.locator('[data-test=approve]').click();
  await dlg.locator('[data-test=decide-confirm]').click();
  await dlg.waitFor({ state: 'hidden' });
  await table.locator('tbody tr').filter({ hasText: c2.case_no }).waitFor({ state: 'detached' }); // other modules' demo items may remain
  await shot(page, 'ui9-approvals-inbox');
  const ev = (await zx.api('GET', `/api/v1/cases/${c2.id}/events`, { token: tok.judge })).json.items;
  assert.ok(ev.some((e) => e.kind === 'coercive_measure'));
  const ev1 = (await zx.api('GET', `/api/v1/cases/${c1.id}/events`, { token: tok.judge })).json.items;
  assert.ok(ev1.some((e) => e.kind === 'approval_returned' && /证据/.test(e.data.opinion)));
  // history: decided items with the opinion
  await page.locator('[data-test=approval-scope]').getByText('辖区全部').click();
  await page.getByText('已审批', { exact: true }).click();
  await table.locator('tbody tr').filter({ hasText: '罚款金额依据不足' }).waitFor();
  assert.deepEqual(ui.errors.filter((e) => !/status of 401/.test(e)), []); // 401: /me before login
});
