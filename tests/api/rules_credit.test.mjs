// rules_credit.test.mjs — 失信 / 限消 conditions from the facts of the case (issue 9 items 5 and 6):
// no listing or 限消 on a 执保 case (失信规定 art 1; 限消规定 art 1); ground 5 needs a 限制消费令 in
// force (art 1(5)); a 限消 order covers all nine items of 限消规定 art 3 (no partial order); the
// temporary permit of 法发〔2019〕35号 para 17(3) lifts only flights and high-speed rail, for at most one
// month, and a 院长's own permit takes effect at once. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORDS } from './lib.mjs';
import { idNumber } from './ids.mjs';

let zx;
const tok = {};
const pad = (n) => String(n).padStart(2, '0');
const ymd = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const daysAgo = (n) => ymd(new Date(Date.now() + 8 * 3600e3 - n * 86400e3));
const api = (who, m, p, body) => zx.api(m, p, { token: tok[who], body });
const CONDITIONS = { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true };
const DEBTOR = idNumber('210103', '19780405', 77);
let n = 0;
async function fileCase(type = '执') {
  const r = await api('clerk', 'POST', '/api/v1/cases', {
    type_code: type, applied_on: daysAgo(30), filed_on: daysAgo(30), claim_fen: 2_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: `（2024）辽0102民初${600 + ++n}号`, effective_on: '2024-06-01' },
    conditions: CONDITIONS,
    parties: [{ role: 'applicant', kind: 'person', name: '孙三', id_number: idNumber('210102', '19820315', 123) },
      { role: 'debtor', kind: 'person', name: '周四', id_number: DEBTOR }],
  });
  assert.equal(r.status, 201, r.text);
  const k = r.json;
  return { id: k.id, debtor: k.parties.find((p) => p.role === 'debtor').id };
}
function reasons(r, status, code) {
  assert.equal(r.status, status, r.text);
  const codes = (r.json.error.reasons || []).map((x) => x.code);
  assert.ok(codes.includes(code), `${code} in ${codes}`);
  const x = r.json.error.reasons.find((y) => y.code === code);
  assert.ok(x.article && x.message, r.text);
}

before(async () => {
  zx = await startServer();
  tok.clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  tok.judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  tok.chief = await zx.login('demo_chief_liao0102', PASSWORDS.demo);
});
after(async () => { await zx?.stop(); });

test('执保 case: no 失信 listing and no 限消 (失信规定 art 1; 限消规定 art 1)', async () => {
  const k = await fileCase('执保');
  reasons(await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: k.id, party_id: k.debtor, ground: 2, conduct: '以暴力方法抗拒执行' }), 422, 'PRESERVATION_CASE');
  reasons(await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: k.id, party_id: k.debtor, list: 'restricted' }), 422, 'PRESERVATION_CASE');
});

test('限消: all nine items or nothing (限消规定 art 3); ground 5 only with a 限制消费令 in force (失信规定 art 1(5))', async () => {
  const k = await fileCase();
  reasons(await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: k.id, party_id: k.debtor, ground: 5, conduct: '违反限制消费令乘坐飞机' }), 422, 'NO_RESTRICTION_ORDER');
  reasons(await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: k.id, party_id: k.debtor, list: 'restricted', categories: ['flight', 'high_speed_rail'] }), 422, 'PARTIAL_ORDER');
  const p = await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: k.id, party_id: k.debtor, list: 'restricted' });
  assert.equal(p.status, 201, p.text);
  assert.equal((await api('chief', 'POST', `/api/v1/credit/decisions/${p.json.id}/approve`, {})).status, 200);
  const s = await api('judge', 'POST', `/api/v1/credit/decisions/${p.json.id}/serve`, {});
  assert.equal(s.json.status, 'effective', s.text);
  const e = await api('judge', 'GET', `/api/v1/credit/entries/${s.json.entry_id}`);
  // null = every item of art 3 (the canonical form of a full order; no code list narrows it)
  assert.ok(e.json.categories === null || e.json.categories.length === 12, e.text);
  const g5 = await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: k.id, party_id: k.debtor, ground: 5, conduct: '违反限制消费令乘坐飞机' });
  assert.equal(g5.status, 201, g5.text);
});

test('temporary permit: flights and high-speed rail only, ≤ 1 month (法发〔2019〕35号 para 17(3)); the 院长 grants at once', async () => {
  const k = await fileCase();
  const p = await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: k.id, party_id: k.debtor, list: 'restricted' });
  await api('chief', 'POST', `/api/v1/credit/decisions/${p.json.id}/approve`, {});
  const s = await api('judge', 'POST', `/api/v1/credit/decisions/${p.json.id}/serve`, {});
  const entry = s.json.entry_id;
  const from = daysAgo(0);
  const plus = (d, days) => ymd(new Date(Date.parse(d + 'T00:00:00Z') + days * 86400e3));
  reasons(await api('judge', 'POST', `/api/v1/credit/entries/${entry}/permits`, { kind: 'medical', categories: ['train_sleeper'], from, to: plus(from, 3), reason: '就医' }), 422, 'CATEGORY_NOT_PERMITTED');
  reasons(await api('judge', 'POST', `/api/v1/credit/entries/${entry}/permits`, { kind: 'exam', categories: ['flight'], from, to: plus(from, 40), reason: '考试' }), 422, 'WINDOW_TOO_LONG');
  const c = await api('chief', 'POST', `/api/v1/credit/entries/${entry}/permits`, { kind: 'funeral', categories: ['flight', 'high_speed_rail'], from, to: plus(from, 5), reason: '父亲丧葬' });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.status, 'active');
  assert.equal(c.json.approved_by.name.length > 0, true);
  const j = await api('judge', 'POST', `/api/v1/credit/entries/${entry}/permits`, { kind: 'official_duty', categories: ['flight'], from, to: plus(from, 2), reason: '公务' });
  assert.equal(j.json.status, 'pending');
  const inbox = await api('chief', 'GET', '/api/v1/approvals?kind=temporary_permit');
  const item = inbox.json.items.find((x) => x.object_id === j.json.id);
  const ret = await api('chief', 'POST', `/api/v1/approvals/${item.id}/return`, { opinion: '事由不充分' });
  assert.equal(ret.status, 200, ret.text);
  const after = await api('judge', 'GET', `/api/v1/credit/entries/${entry}`);
  assert.equal(after.json.permits.find((x) => x.id === j.json.id).status, 'revoked');
});
