// rules_limits.test.mjs — time limits by case type and late closure (issue 9 items 1 and 15), from
// outside: 执异 15 days with no extension (民诉法 art 236); 执复 30 days + ≤ 30 days by the 院长
// (执行程序解释 art 9); 执 6 months extended in months (期限规定 art 1; 审限规定 art 5); a case closed
// after its limit shows 超期结案 and counts in the indicators (closed_late). SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORDS } from './lib.mjs';
import { idNumber } from './ids.mjs';

let zx;
const tok = {};
const pad = (n) => String(n).padStart(2, '0');
function daysAgo(n) {
  const d = new Date(Date.now() + 8 * 3600e3 - n * 86400e3);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const TODAY = daysAgo(0);
const CONDITIONS = { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true };
let seq = 0;
function filing(over = {}) {
  seq++;
  return {
    type_code: '执', applied_on: daysAgo(1), claim_fen: 1_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: `（2024）辽0102民初${900 + seq}号`, effective_on: '2024-06-01' },
    conditions: CONDITIONS,
    parties: [{ role: 'applicant', kind: 'person', name: '张三', id_number: idNumber('210102', '19800315', 123) },
      { role: 'debtor', kind: 'person', name: '李四', id_number: idNumber('210103', '19751104', 91) }],
    ...over,
  };
}
const api = (who, method, p, body) => zx.api(method, p, { token: tok[who], body });
async function file(over) {
  const r = await api('clerk', 'POST', '/api/v1/cases', filing(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
async function act(id, kind, body = {}, who = 'judge') {
  const r = await api(who, 'POST', `/api/v1/cases/${id}/actions/${kind}`, body);
  assert.equal(r.status, 200, `${kind}: ${r.text}`);
  return r.json;
}
function assertErr(r, status, code) {
  assert.equal(r.status, status, r.text);
  if (code) assert.equal(r.json?.error?.code, code, r.text);
}

before(async () => {
  zx = await startServer();
  for (const [k, u] of Object.entries({ clerk: 'demo_filing_clerk_liao0102', judge: 'demo_judge_liao0102', chief: 'demo_chief_liao0102' }))
    tok[k] = await zx.login(u, PASSWORDS.demo);
  const judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
  tok.judgeId = judgeId;
});
after(async () => { await zx?.stop(); });

test('执异: 15 days from filing (民诉法 art 236), moved past a holiday, never extended', async () => {
  const a = await file({ type_code: '执异', applied_on: '2025-03-03', filed_on: '2025-03-03' });
  assert.equal(a.clocks.limit_unit, 'days');
  assert.equal(a.clocks.limit_base, 15);
  assert.equal(a.limit_date, '2025-03-18');
  assert.match(a.clocks.limit_article, /民诉法 art 236/);
  assert.ok(a.clocks.deadlines.some((d) => d.kind === 'time_limit' && d.due_on === '2025-03-18'));
  // day 15 after 2025-04-16 is 2025-05-01 (劳动节 1–5 May) → the first working day after it
  const b = await file({ type_code: '执异', applied_on: '2025-04-16', filed_on: '2025-04-16' });
  assert.equal(b.limit_date, '2025-05-06');
  const c = await file({ type_code: '执异', applied_on: daysAgo(2), filed_on: daysAgo(2) });
  assert.ok(!c.allowed_actions.includes('extension_request'));
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_request`, { days: 5, reason: '复杂' }), 409, 'INVALID_STATE');
});

test('执复: 30 days (执行程序解释 art 9), extended in days by ≤ 30 with the 院长 approval', async () => {
  const c = await file({ type_code: '执复', applied_on: daysAgo(3), filed_on: daysAgo(3) });
  assert.equal(c.clocks.limit_unit, 'days');
  assert.equal(c.clocks.limit_base, 30);
  assert.equal(c.clocks.extension_max, 30);
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_request`, { months: 1, reason: '复杂' }), 400, 'VALIDATION_FAILED');
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_request`, { days: 31, reason: '复杂' }), 400, 'VALIDATION_FAILED');
  await act(c.id, 'extension_request', { days: 20, reason: '案情复杂' });
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_approval`, { approve: true }), 403, 'FORBIDDEN');
  const j = await act(c.id, 'extension_approval', { approve: true }, 'chief');
  assert.equal(j.case.extension_days, 20);
  assert.equal(j.case.clocks.extension_granted, 20);
  assert.ok(j.case.limit_date > c.limit_date);
  // 20 granted: a further 11 days would exceed 30 (执行程序解释 art 9)
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_request`, { days: 11, reason: '仍需' });
  assertErr(r, 400, 'VALIDATION_FAILED');
  assert.ok(r.json.error.fields.some((f) => f.code === 'EXTENSION_EXCEEDED'), r.text);
});

test('执: 6 months, extension granted in months within the 5 days before expiry (期限规定 art 1; 审限规定 art 5)', async () => {
  const d = new Date(Date.now() + 8 * 3600e3);
  d.setUTCMonth(d.getUTCMonth() - 6);
  d.setUTCDate(d.getUTCDate() + 2);
  const filed = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const c = await file({ applied_on: filed, filed_on: filed });
  assert.equal(c.clocks.limit_unit, 'months');
  assert.equal(c.clocks.limit_months, 6);
  const pu = await api('clerk', 'PUT', `/api/v1/cases/${c.id}/assignment`, { handler_id: tok.judgeId });
  assert.equal(pu.status, 200, pu.text);
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_request`, { days: 30, reason: '拍卖' }), 400, 'VALIDATION_FAILED');
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_request`, { months: 4, reason: '拍卖' }), 400, 'VALIDATION_FAILED');
  await act(c.id, 'extension_request', { months: 2, reason: '拍卖程序尚未完成' });
  const j = await act(c.id, 'extension_approval', { approve: true }, 'chief');
  assert.equal(j.case.extension_months, 2);
  assert.equal(j.case.extension_days, 0);
  // the new limit is filed + 8 months (moved to a working day), not + 60 days
  const e = new Date(Date.parse(filed + 'T00:00:00Z'));
  e.setUTCMonth(e.getUTCMonth() + 8);
  const eight = `${e.getUTCFullYear()}-${pad(e.getUTCMonth() + 1)}-${pad(e.getUTCDate())}`;
  assert.ok(j.case.limit_date >= eight && j.case.limit_date <= daysAfter(eight, 10), `${j.case.limit_date} vs ${eight}`);
});
function daysAfter(s, n) {
  const d = new Date(Date.parse(s + 'T00:00:00Z') + n * 86400e3);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

test('超期结案: a case closed after its limit shows it and counts in the indicators', async () => {
  const before = await api('chief', 'GET', `/api/v1/indicators?court=辽0102&from=2025-01-01&to=${TODAY}`);
  assert.equal(before.status, 200, before.text);
  const late = await file({ applied_on: '2025-01-02', filed_on: '2025-01-02', claim_fen: 300_000 });
  assert.equal(late.limit_date, '2025-07-02');
  await act(late.id, 'payment_received', { amount_fen: 300_000 });
  let r = await api('judge', 'POST', `/api/v1/cases/${late.id}/close`, { mode: 'completed' });
  assert.equal(r.status, 200, r.text);
  r = await api('judge', 'GET', `/api/v1/cases/${late.id}`);
  assert.equal(r.json.clocks.closed_late, true);
  assert.equal(r.json.clocks.closed_within_limit, false);
  assert.ok(r.json.clocks.closed_late_days > 100);
  const ok = await file({ applied_on: daysAgo(3), filed_on: daysAgo(3), claim_fen: 200_000 });
  await act(ok.id, 'payment_received', { amount_fen: 200_000 });
  assert.equal((await api('judge', 'POST', `/api/v1/cases/${ok.id}/close`, { mode: 'completed' })).status, 200);
  r = await api('judge', 'GET', `/api/v1/cases/${ok.id}`);
  assert.equal(r.json.clocks.closed_late, false);
  const after = await api('chief', 'GET', `/api/v1/indicators?court=辽0102&from=2025-01-01&to=${TODAY}`);
  assert.equal(after.json.closed_late, before.json.closed_late + 1);
  assert.equal(after.json.closed, before.json.closed + 2);
});
