// rules_documents.test.mjs — documents (issue 9 item 8): 罚款决定书 and 拘留决定书 made with the coercive
// measure (民诉法 arts 118–119, 民诉解释 art 185), the 纳入失信被执行人名单决定书 when the 院长 signs the
// listing (失信规定 arts 5–6); every PDF downloads named by 案号 and document title. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORDS } from './lib.mjs';
import { idNumber } from './ids.mjs';

let zx, k;
const tok = {};
const api = (who, m, p, body) => zx.api(m, p, { token: tok[who], body });
const CONDITIONS = { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true };

before(async () => {
  zx = await startServer();
  tok.clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  tok.judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  tok.chief = await zx.login('demo_chief_liao0102', PASSWORDS.demo);
  const r = await api('clerk', 'POST', '/api/v1/cases', {
    type_code: '执', applied_on: '2025-03-01', filed_on: '2025-03-03', claim_fen: 4_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初401号', effective_on: '2024-06-01' },
    conditions: CONDITIONS,
    parties: [{ role: 'applicant', kind: 'person', name: '冯七', id_number: idNumber('210102', '19840315', 123) },
      { role: 'debtor', kind: 'person', name: '陈八', id_number: idNumber('210103', '19790104', 91) }],
  });
  assert.equal(r.status, 201, r.text);
  k = r.json;
});
after(async () => { await zx?.stop(); });

async function download(doc) {
  const r = await zx.api('GET', `/api/v1/cases/${k.id}/documents/${doc.id}`, { token: tok.judge, raw: true });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /pdf/);
  const cd = r.headers.get('content-disposition');
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  assert.ok(m, cd);
  return decodeURIComponent(m[1]);
}

test('罚款决定书 and 拘留决定书 with the coercive measure, named by 案号 + title', async () => {
  let r = await api('chief', 'POST', `/api/v1/cases/${k.id}/actions/coercive_measure`, { measure: 'fine', target_kind: 'person', target_name: '陈八', amount_fen: 500_000 });
  assert.equal(r.status, 200, r.text);
  const fine = r.json.documents.find((d) => d.kind === 'fine_decision');
  assert.equal(fine.title, '罚款决定书');
  assert.equal(await download(fine), `${k.case_no}罚款决定书.pdf`);
  r = await api('chief', 'POST', `/api/v1/cases/${k.id}/actions/coercive_measure`, { measure: 'detention', target_kind: 'person', target_name: '陈八', days: 5 });
  assert.equal(r.status, 200, r.text);
  const det = r.json.documents.find((d) => d.kind === 'detention_decision');
  assert.equal(det.title, '拘留决定书');
  assert.equal(await download(det), `${k.case_no}拘留决定书.pdf`);
});

test('纳入失信被执行人名单决定书 when the 院长 signs the listing (失信规定 arts 5–6)', async () => {
  const debtor = k.parties.find((p) => p.role === 'debtor').id;
  const p = await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: k.id, party_id: debtor, ground: 2, conduct: '以暴力方法阻碍执行人员查封财产' });
  assert.equal(p.status, 201, p.text);
  assert.equal((await api('chief', 'POST', `/api/v1/credit/decisions/${p.json.id}/approve`, {})).status, 200);
  const docs = (await api('judge', 'GET', `/api/v1/cases/${k.id}/documents`)).json.items;
  const d = docs.find((x) => x.kind === 'dishonest_decision');
  assert.ok(d, JSON.stringify(docs));
  assert.equal(await download(d), `${k.case_no}纳入失信被执行人名单决定书.pdf`);
  const enf = docs.find((x) => x.kind !== 'dishonest_decision');
  if (enf) assert.ok((await download(enf)).startsWith(k.case_no));
});
