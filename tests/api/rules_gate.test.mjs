// rules_gate.test.mjs — the 终本 gate judges the facts as of the closure date and reads 失信 / 限消 from
// the credit module (issue 9 item 3; 终本规定 art 1): a 限消 order or listing made after the closure
// date does not count; one signed and served on the credit page satisfies art 1(2) without a second
// manual action; the case page's 限制消费令 is the same path (院长 signs, 限消规定 art 5). SQLite and
// PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startSim, PASSWORDS } from './lib.mjs';
import { idNumber } from './ids.mjs';

let zx, sim;
const tok = {};
const pad = (n) => String(n).padStart(2, '0');
const daysAgo = (n) => { const d = new Date(Date.now() + 8 * 3600e3 - n * 86400e3); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; };
const api = (who, m, p, body) => zx.api(m, p, { token: tok[who], body });
const CONDITIONS = { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true };
let n = 0;
async function ok(r, st = 200) { assert.equal(r.status, st, r.text); return r.json; }
async function act(id, kind, body, who = 'judge') { return ok(await api(who, 'POST', `/api/v1/cases/${id}/actions/${kind}`, body)); }
async function prepared() {
  const c = await ok(await api('clerk', 'POST', '/api/v1/cases', {
    type_code: '执', applied_on: daysAgo(140), filed_on: daysAgo(140), claim_fen: 3_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: `（2024）辽0102民初${500 + ++n}号`, effective_on: '2024-06-01' },
    conditions: CONDITIONS,
    parties: [{ role: 'applicant', kind: 'person', name: '吴五', id_number: idNumber('210102', '19830315', 123) },
      { role: 'debtor', kind: 'person', name: '郑六', id_number: idNumber('210103', '19770104', 91 + n) }],
  }), 201);
  await act(c.id, 'enforcement_notice', { on_date: daysAgo(130) });
  await act(c.id, 'property_report', { result: 'verified', on_date: daysAgo(120) });
  await systemInquiry(c.id); // made today: a closure dated earlier does not count it
  await act(c.id, 'dishonest_listing_recorded', { reason: '被执行人无履行能力，不符合失信规定第一条各项情形', on_date: daysAgo(105) });
  await act(c.id, 'interview', { applicant_view: '同意终本', on_date: daysAgo(40) });
  await act(c.id, 'applicant_confirmation', { for: 'interim_closure', on_date: daysAgo(40) });
  return c;
}
// 终本规定 art 1(3), art 3: the gate counts a completed run of the network inquiry system, not a manual
// record — the institutions are played by bin/zhixing-sim, here one where the debtors hold nothing
// (inst.*.empty); the automatic filing-day run is switched off so events appear only when asked.
async function systemInquiry(id) {
  const r = await api('judge', 'POST', `/api/v1/cases/${id}/inquiries`, {});
  assert.equal(r.status, 202, r.text);
  for (let i = 0; i < 400; i++) {
    const run = (await api('judge', 'GET', `/api/v1/cases/${id}/inquiries`)).json.inquiries.find((q) => q.id === r.json.inquiry_id);
    if (run?.status === 'done') return run;
    await new Promise((res) => setTimeout(res, 150));
  }
  throw new Error('the system inquiry did not finish');
}
const unmet = (r) => (r.json.error?.unmet || []).map((u) => u.condition);

before(async () => {
  sim = await startSim({ opts: { 'inst.*.empty': '1' } });
  zx = await startServer({ env: { ZX_SIM_URL: sim.url } });
  zx.exec(`UPDATE setting SET value = '{"on_filing":false,"off_courts":[]}' WHERE key = 'inquiry.auto'`);
  tok.clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  tok.judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  tok.chief = await zx.login('demo_chief_liao0102', PASSWORDS.demo);
});
after(async () => { try { await zx?.stop(); } finally { await sim?.stop(); } });

test('a 限消 order signed and served on the credit page satisfies art 1(2); one made after the closure date does not', async () => {
  const c = await prepared();
  let r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'interim_closure' });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(unmet(r), ['restriction_order']);
  const debtor = c.parties.find((p) => p.role === 'debtor').id;
  const p = await ok(await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: c.id, party_id: debtor, list: 'restricted', decided_on: daysAgo(30) }), 201);
  await ok(await api('chief', 'POST', `/api/v1/credit/decisions/${p.id}/approve`, { signed_on: daysAgo(30) }));
  await ok(await api('judge', 'POST', `/api/v1/credit/decisions/${p.id}/serve`, { served_on: daysAgo(29) }));
  // closing as of a day before the order was served: the order does not count (终本规定 art 1)
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'interim_closure', on_date: daysAgo(35) });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(unmet(r), ['restriction_order', 'network_inquiry']); // the system run was made today, after that date
  // as of today it counts — no second manual action on the case
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'interim_closure' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.gate_passed, true);
});

test('events after the closure date do not count; the case page\'s 限制消费令 is signed by the 院长 through the credit module', async () => {
  const c = await prepared();
  const judge = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/restriction_order`, { on_date: daysAgo(20) });
  assert.equal(judge.status, 202, judge.text); // waits for the 院长 (限消规定 art 5)
  // one path (限消规定 art 5): the case action proposes the credit module's 限消 decision, which waits in
  // the 院长's inbox as the credit page's proposal does; signed there, served on the credit page
  const inbox = await ok(await api('chief', 'GET', `/api/v1/approvals?kind=consumption_restriction&case_id=${c.id}`));
  const item = inbox.items[0];
  assert.ok(item, JSON.stringify(inbox));
  assert.equal(judge.json.approval.id, item.id);
  const dec = await ok(await api('judge', 'GET', `/api/v1/credit/decisions/${item.object_id}`));
  assert.equal(dec.list, 'restricted');
  assert.equal(dec.status, 'proposed');
  assert.equal(dec.decided_on, daysAgo(20));
  // a second request while it waits is refused, not duplicated
  const again = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/restriction_order`, { on_date: daysAgo(20) });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.error.code, 'APPROVAL_PENDING');
  await ok(await api('chief', 'POST', `/api/v1/approvals/${item.id}/approve`, { opinion: '同意' }));
  await ok(await api('judge', 'POST', `/api/v1/credit/decisions/${item.object_id}/serve`, { served_on: daysAgo(0) })); // signed in the inbox today
  // the signature made the 限制消费令 naming the debtor (rendered on download)
  const docs = await ok(await api('judge', 'GET', `/api/v1/cases/${c.id}/documents`));
  const order = docs.items.find((d) => d.kind === 'restriction_order');
  assert.ok(order, JSON.stringify(docs.items.map((d) => d.kind)));
  const pdf = await zx.api('GET', `/api/v1/cases/${c.id}/documents/${order.id}`, { token: tok.judge, raw: true });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.text.slice(0, 5), "%PDF-");
  const st = await ok(await api('judge', 'GET', `/api/v1/credit/cases/${c.id}`));
  const entry = st.entries.find((e) => e.list === 'restricted' && e.name === '郑六');
  assert.ok(entry, 'the credit module holds the order');
  assert.ok(entry.categories === null || entry.categories.length === 12, 'all nine items');
  // closing before the order: unmet; the interview dated after that closure date does not count either
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'interim_closure', on_date: daysAgo(45) });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(unmet(r).sort(), ['approval', 'interview', 'network_inquiry', 'restriction_order']); // the system run: today
  assert.equal((await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'interim_closure' })).status, 200);
});

test('限消规定 art 5: the 院长\'s own 限制消费令 on the case page writes the credit module\'s events only (one source of truth)', async () => {
  const c = await prepared();
  const r = await act(c.id, 'restriction_order', { on_date: daysAgo(20) }, 'chief');
  const evs = (await ok(await api('judge', 'GET', `/api/v1/cases/${c.id}/events`))).items;
  const kinds = evs.map((e) => e.kind);
  assert.ok(!kinds.includes('restriction_order'), `no restriction_order event of the case's own: ${kinds}`);
  // the credit module's decision, proposed, signed and served: its events are the case's record
  assert.equal(kinds.filter((k) => k === 'restriction_proposed').length, 1, String(kinds));
  assert.equal(kinds.filter((k) => k === 'restriction_effective').length, 1, String(kinds));
  assert.equal(r.event.kind, 'restriction_effective'); // the action answers with the credit module's last event
  assert.equal(evs.find((e) => e.kind === 'restriction_effective').on_date, daysAgo(20));
  const st = await ok(await api('judge', 'GET', `/api/v1/credit/cases/${c.id}`));
  assert.equal(st.entries.filter((e) => e.list === 'restricted' && e.name === '郑六').length, 1);
  // the 终本 gate reads the order from the credit module (终本规定 art 1(2)): met without the case event
  const g = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'interim_closure', on_date: daysAgo(1) });
  assert.ok(!unmet(g).includes('restriction_order'), g.text);
});

test('a 失信 listing is decided in the credit module, not recorded on the case page (失信规定 art 5)', async () => {
  const c = await prepared();
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/dishonest_listing_recorded`, { listed: true, reason: 'x' });
  assert.equal(r.status, 400, r.text);
  assert.ok(r.json.error.fields.some((f) => f.code === 'USE_CREDIT_MODULE'), r.text);
});
