// rules_resume.test.mjs — 恢复执行 only for a reason that fits the closure (issue 9 item 4): 立案结案意见
// art 6 and 民诉解释 art 465 (a 和解 performed in full closes the matter for good); the case tells the
// dialog which reasons apply (allowed_resume_reasons). SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORDS } from './lib.mjs';
import { idNumber } from './ids.mjs';

let zx;
const tok = {};
const pad = (n) => String(n).padStart(2, '0');
const daysAgo = (n) => { const d = new Date(Date.now() + 8 * 3600e3 - n * 86400e3); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; };
const CONDITIONS = { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true };
let n = 0;
const filing = (over = {}) => ({
  type_code: '执', applied_on: daysAgo(2), claim_fen: 800_000,
  basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: `（2024）辽0102民初${700 + ++n}号`, effective_on: '2024-06-01' },
  conditions: CONDITIONS,
  parties: [{ role: 'applicant', kind: 'person', name: '赵一', id_number: idNumber('210102', '19810315', 123) },
    { role: 'debtor', kind: 'person', name: '钱二', id_number: idNumber('210103', '19760104', 91) }],
  ...over,
});
const api = (who, m, p, body) => zx.api(m, p, { token: tok[who], body });
async function ok(r) { assert.ok(r.status === 200 || r.status === 201, r.text); return r.json; }

before(async () => {
  zx = await startServer();
  tok.clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  tok.judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
});
after(async () => { await zx?.stop(); });

test('a 和解 performed in full: no resumption for breach (民诉解释 art 465), only for fraud (art 6(1))', async () => {
  const c = await ok(await api('clerk', 'POST', '/api/v1/cases', filing()));
  await ok(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/payment_received`, { amount_fen: 500_000 }));
  await ok(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/applicant_confirmation`, { for: 'completed' }));
  await ok(await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'completed' }));
  const k = await ok(await api('judge', 'GET', `/api/v1/cases/${c.id}`));
  assert.deepEqual(k.allowed_resume_reasons, ['settlement_fraud']);
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/resume`, { reason: 'settlement_breach' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'RESUME_NOT_ALLOWED');
  assert.match(r.json.error.message, /465/);
  assert.equal((await api('judge', 'POST', `/api/v1/cases/${c.id}/resume`, { reason: 'property_found' })).status, 409);
});

test('paid in full: nothing to resume for; withdrawal after a 和解: breach and fraud (art 6(1)(2))', async () => {
  const a = await ok(await api('clerk', 'POST', '/api/v1/cases', filing({ claim_fen: 300_000 })));
  await ok(await api('judge', 'POST', `/api/v1/cases/${a.id}/actions/payment_received`, { amount_fen: 300_000 }));
  await ok(await api('judge', 'POST', `/api/v1/cases/${a.id}/close`, { mode: 'completed' }));
  assert.deepEqual((await ok(await api('judge', 'GET', `/api/v1/cases/${a.id}`))).allowed_resume_reasons, []);
  const b = await ok(await api('clerk', 'POST', '/api/v1/cases', filing()));
  await ok(await api('judge', 'POST', `/api/v1/cases/${b.id}/actions/applicant_withdrawal`, { reason: '双方达成执行和解' }));
  await ok(await api('judge', 'POST', `/api/v1/cases/${b.id}/close`, { mode: 'termination', reason: 'withdrawn' }));
  const kb = await ok(await api('judge', 'GET', `/api/v1/cases/${b.id}`));
  assert.deepEqual(kb.allowed_resume_reasons.sort(), ['settlement_breach', 'settlement_fraud']);
  const r = await api('judge', 'POST', `/api/v1/cases/${b.id}/resume`, { reason: 'settlement_breach' });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.case_no, /执恢/);
});
