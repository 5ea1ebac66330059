// cases.test.mjs — the case flow from outside (docs/api/cases.md): filing with 受理条件 and ID checks,
// gap-free 案号 under concurrency, assignment, actions, every closure mode, the 终本 gate (422
// GATE_NOT_MET), resumption (执恢), access scoping, all-or-nothing writes, to-do and overdue lists.
// Runs on SQLite and PostgreSQL (ZX_TEST_DB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startSim, PASSWORDS } from './lib.mjs';
import { idNumber, creditCode } from './ids.mjs';

let zx;
const tok = {};
const COURT = '辽0102';

// ---- valid identifiers (GB 11643 ID numbers, GB 32100 credit codes) ----
const pad = (n) => String(n).padStart(2, '0');
function daysAgo(n) {
  const d = new Date(Date.now() + 8 * 3600e3 - n * 86400e3); // Asia/Shanghai date
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const TODAY = daysAgo(0);

const APPLICANT = { role: 'applicant', kind: 'person', name: '张三', id_number: idNumber('210102', '19800315', 123), phone: '13800000001' };
const DEBTOR_P = { role: 'debtor', kind: 'person', name: '李四', id_number: idNumber('210103', '19751104', 91) };
const DEBTOR_U = {
  role: 'debtor', kind: 'unit', name: '沈阳某某商贸有限公司', credit_code: creditCode('91210102MA0XK1234'),
  unit_persons: [{ role_of_unit: 'legal_rep', name: '王五', id_number: idNumber('210102', '19700101', 35) }],
};
const CONDITIONS = { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true };

function filing(over = {}) {
  return {
    type_code: '执', applied_on: daysAgo(1), claim_fen: 5_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初100号', effective_on: daysAgo(200) },
    conditions: CONDITIONS, parties: [APPLICANT, DEBTOR_P], ...over,
  };
}

async function api(who, method, p, body) {
  return zx.api(method, p, { token: tok[who], body });
}
function assertErr(r, status, code) {
  assert.equal(r.status, status, `${status} expected, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message.length > 0);
}
async function file(over) {
  const r = await api('clerk', 'POST', '/api/v1/cases', filing(over));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
let judgeId;
async function fileAssigned(over) {
  const c = await file(over);
  const r = await api('clerk', 'PUT', `/api/v1/cases/${c.id}/assignment`, { handler_id: judgeId });
  assert.equal(r.status, 200, r.text);
  return r.json;
}
async function act(id, kind, body = {}, who = 'judge') {
  const r = await api(who, 'POST', `/api/v1/cases/${id}/actions/${kind}`, body);
  assert.equal(r.status, 200, `${kind}: ${r.text}`);
  return r.json;
}
const eventCount = (id) => Number(zx.sql(`SELECT COUNT(*) AS n FROM case_event WHERE case_id = ${id}`)[0].n);

let sim;
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

before(async () => {
  sim = await startSim({ opts: { 'inst.*.empty': '1' } });
  zx = await startServer({ env: { ZX_SIM_URL: sim.url } });
  zx.exec(`UPDATE setting SET value = '{"on_filing":false,"off_courts":[]}' WHERE key = 'inquiry.auto'`);
  for (const [k, u] of Object.entries({
    clerk: `demo_filing_clerk_liao0102`, judge: `demo_judge_liao0102`, judge2: `demo_judge2_liao0102`,
    chief: `demo_chief_liao0102`, other: `demo_judge_liao0103`,
  })) tok[k] = await zx.login(u, PASSWORDS.demo);
  judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
});
after(async () => { try { await zx?.stop(); } finally { await sim?.stop(); } });

test('filing: 201 with 案号, fee (诉讼费用交纳办法 art 14), triage, deadlines, event and audit', async () => {
  const c = await file();
  const year = TODAY.slice(0, 4);
  assert.match(c.case_no, new RegExp(`^（${year}）辽0102执[1-9][0-9]*号$`));
  assert.equal(c.stage, 'filing');
  assert.equal(c.status, 'open');
  assert.equal(c.claim_fen, 5_000_000);
  assert.equal(c.fee_fen, 65_000); // ¥50 + 1.5% × (¥50,000 − ¥10,000) = ¥650
  assert.equal(c.track, 'fast'); // ≤ ¥100k, one debtor, no clue (default rule)
  assert.equal(c.outstanding_fen, 5_000_000);
  assert.equal(c.parties.length, 2);
  assert.equal(c.parties[0].sex, 'M');
  const kinds = c.clocks.deadlines.map((d) => d.kind).sort();
  assert.deepEqual(kinds, ['assign', 'investigation', 'notice', 'time_limit']);
  const ev = await api('clerk', 'GET', `/api/v1/cases/${c.id}/events`);
  assert.equal(ev.json.items[0].kind, 'filed');
  const audit = zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.file' AND object_id = '${c.id}'`);
  assert.equal(Number(audit[0].n), 1);
});

test('filing: bad ID number, credit code, amount, date and a failed 受理条件 → 400 with per-field errors', async () => {
  const bad = filing({
    claim_fen: -5, applied_on: '2024-02-30',
    conditions: { ...CONDITIONS, within_jurisdiction: false },
    parties: [{ ...APPLICANT, id_number: APPLICANT.id_number.slice(0, 17) + (APPLICANT.id_number[17] === '1' ? '2' : '1') },
      { ...DEBTOR_U, credit_code: DEBTOR_U.credit_code.slice(0, 17) + (DEBTOR_U.credit_code[17] === 'A' ? 'B' : 'A') }],
  });
  const r = await api('clerk', 'POST', '/api/v1/cases', bad);
  assertErr(r, 400, 'VALIDATION_FAILED');
  const codes = Object.fromEntries(r.json.error.fields.map((f) => [f.field, f.code]));
  assert.equal(codes['parties[0].id_number'], 'INVALID_ID_NUMBER');
  assert.equal(codes['parties[1].credit_code'], 'INVALID_CREDIT_CODE');
  assert.equal(codes.claim_fen, 'INVALID_AMOUNT');
  assert.equal(codes.applied_on, 'INVALID_DATE');
  assert.equal(codes['conditions.within_jurisdiction'], 'CONDITION_NOT_MET'); // 执行工作规定 art 16
});

test('filing more than 7 days after application: filed with a FILED_LATE warning (执行工作规定 art 16)', async () => {
  const c = await file({ applied_on: daysAgo(12), filed_on: daysAgo(1) });
  assert.equal(c.filed_late, true);
  assert.equal(c.warnings[0].code, 'FILED_LATE');
});

test('案号 gap-free under 20 concurrent filings (案号规定: consecutive per court × type × year)', async () => {
  const before = zx.sql(`SELECT COALESCE(MAX(seq), 0) AS m FROM enf_case WHERE type_code = '执保'`)[0].m;
  const rs = await Promise.all(Array.from({ length: 20 }, () => api('clerk', 'POST', '/api/v1/cases', filing({ type_code: '执保' }))));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  const seqs = rs.map((r) => r.json.seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => Number(before) + 1 + i));
  assert.equal(new Set(rs.map((r) => r.json.case_no)).size, 20);
});

test('bulk filing is all-or-nothing and reports the failing items; no number is used up', async () => {
  const seqBefore = zx.sql(`SELECT COALESCE(MAX(seq), 0) AS m FROM enf_case WHERE type_code = '执'`)[0].m;
  const nBefore = zx.sql('SELECT COUNT(*) AS n FROM enf_case')[0].n;
  const r = await api('clerk', 'POST', '/api/v1/cases/bulk', { cases: [filing(), filing({ parties: [APPLICANT] }), filing()] });
  assertErr(r, 400, 'VALIDATION_FAILED');
  assert.deepEqual(r.json.error.items.map((i) => i.index), [1]);
  assert.equal(zx.sql('SELECT COUNT(*) AS n FROM enf_case')[0].n, nBefore);
  const ok = await api('clerk', 'POST', '/api/v1/cases/bulk', { cases: [filing(), filing()] });
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(ok.json.items.map((c) => c.seq), [Number(seqBefore) + 1, Number(seqBefore) + 2]);
});

test('assignment: handler must be a judge of the court; marks the 7-day deadline (期限规定 art 2) done', async () => {
  const c = await file();
  const clerkId = zx.users().find((u) => u.username === 'demo_filing_clerk_liao0102').id;
  assertErr(await api('clerk', 'PUT', `/api/v1/cases/${c.id}/assignment`, { handler_id: clerkId }), 400, 'VALIDATION_FAILED');
  const r = await api('clerk', 'PUT', `/api/v1/cases/${c.id}/assignment`, { handler_id: judgeId });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.handler.id, judgeId);
  assert.equal(r.json.stage, 'property_inquiry');
  assert.equal(r.json.clocks.deadlines.find((d) => d.kind === 'assign').done, true);
  // the handler sees full ID numbers (and that read is audited); the clerk now sees them masked
  const mine = await api('judge', 'GET', `/api/v1/cases/${c.id}`);
  assert.equal(mine.json.parties[0].id_number, APPLICANT.id_number);
  const theirs = await api('clerk', 'GET', `/api/v1/cases/${c.id}`);
  assert.match(theirs.json.parties[0].id_number, /^\d{10}\*{4}\d{3}[\dX]$/);
  assert.ok(Number(zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pii.read' AND object_id = '${c.id}'`)[0].n) >= 1);
});

test('another court\'s judge cannot see or change the case; a non-handler judge cannot act', async () => {
  const c = await fileAssigned();
  assertErr(await api('other', 'GET', `/api/v1/cases/${c.id}`), 404, 'NOT_FOUND');
  assertErr(await api('other', 'POST', `/api/v1/cases/${c.id}/actions/note`, { text: 'x' }), 404, 'NOT_FOUND');
  assertErr(await api('judge2', 'POST', `/api/v1/cases/${c.id}/actions/note`, { text: 'x' }), 403, 'FORBIDDEN');
  const denied = zx.sql(`SELECT action FROM audit_log WHERE result = 'denied' AND object_id = '${c.id}'`).map((a) => a.action);
  assert.deepEqual(denied.sort(), ['case.read', 'case.write', 'case.write']);
  const s = await api('other', 'GET', `/api/v1/cases?case_no=${encodeURIComponent(c.case_no)}&court=${encodeURIComponent(COURT)}`);
  assertErr(s, 403, 'FORBIDDEN');
});

test('actions validate input (400) and state (409) and leave nothing half-written', async () => {
  const c = await fileAssigned();
  const n0 = eventCount(c.id);
  // 民诉法 art 118: fine on a person ≤ ¥100,000; detention ≤ 15 days; 院长 approval (art 119)
  let r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/coercive_measure`,
    { measure: 'fine', target_kind: 'person', target_name: '李四', amount_fen: 10_000_001 });
  assertErr(r, 400, 'VALIDATION_FAILED');
  assert.ok(r.json.error.fields.some((f) => f.field === 'amount_fen' && f.code === 'OVER_CAP'));
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/coercive_measure`,
    { measure: 'detention', target_kind: 'person', target_name: '李四', days: 16 });
  assert.ok(r.json.error.fields.some((f) => f.field === 'days' && f.code === 'OVER_CAP'));
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/coercive_measure`,
    { measure: 'fine', target_kind: 'person', target_name: '李四', amount_fen: 100_000 });
  assert.equal(r.status, 202, r.text); // without the 院长's approval: to the approval inbox (approvals.test.mjs)
  assert.ok(r.json.approval.id);
  // state: ending a suspension that never started; payment beyond the claim
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/suspension_end`, {}), 409, 'INVALID_STATE');
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/payment_received`, { amount_fen: 5_000_001 });
  assert.ok(r.json.error.fields.some((f) => f.code === 'EXCEEDS_OUTSTANDING'));
  // extension outside the 5 days before expiry (期限规定 art 1)
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_request`, { months: 1, reason: '拍卖' });
  assert.ok(r.json.error.fields.some((f) => f.code === 'OUTSIDE_WINDOW'), r.text);
  assert.equal(eventCount(c.id), n0 + 1, 'no event written by a refused action (only approval_submitted)');
  const chiefId = zx.users().find((u) => u.username === 'demo_chief_liao0102').id;
  await act(c.id, 'coercive_measure', { measure: 'fine', target_kind: 'person', target_name: '李四', amount_fen: 100_000, approver_id: chiefId });
  assert.equal(eventCount(c.id), n0 + 3); // the fine + approval_approved (the waiting request is settled)
});

test('deducted periods extend the time limit; suspension blocks measures and closure (审限规定 art 9)', async () => {
  const c = await fileAssigned({ applied_on: daysAgo(30), filed_on: daysAgo(30) });
  const limit0 = c.limit_date;
  await act(c.id, 'suspension_start', { type: 'suspension', reason: '案外人异议', on_date: daysAgo(20) });
  let r = await api('judge', 'GET', `/api/v1/cases/${c.id}`);
  assert.equal(r.json.status, 'suspended');
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/network_inquiry`, { result: 'none' }), 409, 'INVALID_STATE');
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'termination', reason: 'other' }), 409, 'INVALID_STATE');
  const j = await act(c.id, 'suspension_end', { on_date: daysAgo(11) });
  assert.equal(j.case.status, 'open');
  assert.equal(j.case.deducted_days, 10); // 20..11 days ago inclusive
  assert.ok(j.case.limit_date > limit0, `${j.case.limit_date} > ${limit0}`);
});

test('closure modes: completed, termination, withdrawal, non_enforcement, rejection (立案结案意见 arts 14–20)', async () => {
  // completed: full payment (art 15)
  let c = await fileAssigned();
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'completed' }), 422, 'CLOSURE_NOT_ALLOWED');
  await act(c.id, 'payment_received', { amount_fen: 3_000_000 });
  const j = await act(c.id, 'payment_received', { amount_fen: 2_000_000 });
  assert.equal(j.case.recovered_fen, 5_000_000);
  let r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'completed' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.status, 'closed');
  assert.equal(r.json.case.closure_mode, 'completed');
  assert.equal(r.json.documents[0].kind, 'closure_notice');
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/payment_received`, { amount_fen: 1 }), 409, 'INVALID_STATE');
  // termination needs an art 17 reason
  c = await fileAssigned();
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'termination', reason: 'bored' });
  assertErr(r, 422, 'CLOSURE_NOT_ALLOWED');
  assert.equal(r.json.error.unmet[0].article, '立案结案意见 art 17');
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'termination', reason: 'debtor_bankrupt' });
  assert.equal(r.status, 200, r.text);
  // withdrawal needs the applicant's withdrawal (art 18)
  c = await fileAssigned();
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'withdrawal', reason: 'applicant_withdrew' }), 422, 'CLOSURE_NOT_ALLOWED');
  await act(c.id, 'applicant_withdrawal', { reason: '双方和解' });
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'withdrawal', reason: 'applicant_withdrew' });
  assert.equal(r.status, 200, r.text);
  // non_enforcement only for arbitral awards / notarised deeds (art 19)
  c = await fileAssigned();
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'non_enforcement' }), 422, 'CLOSURE_NOT_ALLOWED');
  c = await fileAssigned({ basis: { kind: 'arbitral_award', issuer: '沈阳仲裁委员会', doc_no: '（2024）沈仲字第1号', effective_on: daysAgo(30) } });
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'non_enforcement' });
  assert.equal(r.status, 200, r.text);
  // rejection names the failed 受理条件 (art 20)
  c = await fileAssigned();
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'rejection', reason: 'no_jurisdiction' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.closure_mode, 'rejection');
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'completed' }), 409, 'INVALID_STATE');
});

test('early 终本 → 422 GATE_NOT_MET listing every unmet condition with its article', async () => {
  const c = await fileAssigned({ parties: [APPLICANT, DEBTOR_U] });
  const n0 = eventCount(c.id);
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'interim_closure' });
  assertErr(r, 422, 'GATE_NOT_MET');
  const conds = r.json.error.unmet.map((u) => u.condition);
  for (const k of ['notice_served', 'report_order', 'report_checked', 'restriction_order', 'dishonest_listing',
    'network_inquiry', 'three_months', 'interview', 'approval']) assert.ok(conds.includes(k), `${k} in ${conds}`);
  assert.equal(r.json.error.unmet.find((u) => u.condition === 'three_months').article, '终本规定 art 1(4)');
  assert.ok(r.json.error.unmet.every((u) => u.article && u.message));
  assert.equal(eventCount(c.id), n0);
  assert.equal(zx.sql(`SELECT status FROM enf_case WHERE id = ${c.id}`)[0].status, 'open');
});

let interimId;
test('complete 终本 gate → closes with gate_passed, documents and re-inquiry reminders (终本规定 arts 1–4, 9)', async () => {
  const c = await fileAssigned({ applied_on: daysAgo(130), filed_on: daysAgo(125), parties: [APPLICANT, DEBTOR_U] });
  const j = await act(c.id, 'enforcement_notice', { on_date: daysAgo(120) });
  assert.deepEqual(j.documents.map((d) => d.kind), ['enforcement_notice', 'property_report_order']);
  await act(c.id, 'property_report', { result: 'not_reported', on_date: daysAgo(100) });
  // 限消规定 art 5: the 院长 signs; the credit module writes the order for every debtor (one path)
  assert.equal((await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/restriction_order`, { on_date: daysAgo(99) })).status, 202); // to the inbox
  await act(c.id, 'restriction_order', { on_date: daysAgo(99) }, 'chief');
  await act(c.id, 'network_inquiry', { result: 'none', on_date: daysAgo(98) }); // a manual record: a note only
  await systemInquiry(c.id);
  await act(c.id, 'property_clue', { clue: '被执行人在某银行有存款', urgent: true, on_date: daysAgo(90) });
  let r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'interim_closure' });
  assertErr(r, 422, 'GATE_NOT_MET');
  const left = r.json.error.unmet.map((u) => u.condition).sort();
  assert.deepEqual(left, ['approval', 'clues_verified', 'dishonest_listing', 'interview', 'obstruction_punished']);
  const clueSeq = (await api('judge', 'GET', `/api/v1/cases/${c.id}/events`)).json.items.find((e) => e.kind === 'property_clue').seq;
  await act(c.id, 'clue_verified', { clue_seq: clueSeq, result: 'none', on_date: daysAgo(88) });
  await act(c.id, 'obstruction_punished', { measure: '罚款', on_date: daysAgo(80) });
  await act(c.id, 'dishonest_listing_recorded', { reason: '被执行人不符合失信规定第一条各项情形', on_date: daysAgo(80) });
  await act(c.id, 'interview', { applicant_view: '同意终本', on_date: daysAgo(2) });
  assert.equal((await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/chief_approval`, { for: 'interim_closure' })).status, 202); // to the inbox
  await act(c.id, 'chief_approval', { for: 'interim_closure' }, 'chief');
  r = await api('judge', 'POST', `/api/v1/cases/${c.id}/close`, { mode: 'interim_closure' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.closure_mode, 'interim_closure');
  assert.equal(r.json.case.gate_passed, true);
  assert.equal(r.json.documents[0].kind, 'interim_closure_ruling');
  const re = r.json.case.clocks.deadlines.filter((d) => d.kind === 'reinquiry');
  assert.equal(re.length, 10); // every 6 months for 5 years
  // after 终本 only the re-inquiry (and notes) remain possible
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/restriction_order`, {}), 409, 'INVALID_STATE');
  const q = await act(c.id, 'network_inquiry', { result: 'none' });
  assert.equal(q.case.clocks.deadlines.filter((d) => d.kind === 'reinquiry' && d.done).length, 1);
  // documents are downloadable PDFs
  const docs = await api('judge', 'GET', `/api/v1/cases/${c.id}/documents`);
  assert.ok(docs.json.items.length >= 4);
  const pdf = await zx.api('GET', `/api/v1/cases/${c.id}/documents/${docs.json.items[0].id}`, { token: tok.judge, raw: true });
  assert.equal(pdf.status, 200);
  assert.match(pdf.headers.get('content-type'), /pdf/);
  interimId = c.id;
});

test('resume → new linked 执恢 case with the parties and the outstanding amount (立案结案意见 art 6)', async () => {
  assert.ok(interimId);
  assertErr(await api('judge', 'POST', `/api/v1/cases/${interimId}/resume`, { reason: 'conditions_met_again' }), 409, 'RESUME_NOT_ALLOWED');
  const before = await api('judge', 'GET', `/api/v1/cases/${interimId}`);
  assert.deepEqual(before.json.allowed_resume_reasons, ['property_found']); // the dialog offers only these
  const r = await api('judge', 'POST', `/api/v1/cases/${interimId}/resume`, { reason: 'property_found', applied_on: TODAY });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.type_code, '执恢');
  assert.match(r.json.case_no, /辽0102执恢\d+号$/);
  assert.equal(r.json.parent_case_id, interimId);
  assert.equal(r.json.claim_fen, 5_000_000);
  assert.deepEqual(r.json.parties.map((p) => p.name), ['张三', '沈阳某某商贸有限公司']);
  assert.equal(r.json.parties[1].unit_persons[0].role_of_unit, 'legal_rep');
  const orig = await api('judge', 'GET', `/api/v1/cases/${interimId}`);
  assert.equal(orig.json.children[0].id, r.json.id);
});

test('search by 案号 (either bracket width), party name prefix, ID number (audited), status', async () => {
  const c = await file({ parties: [APPLICANT, { ...DEBTOR_P, name: '欧阳锋', id_number: idNumber('210104', '19660606', 7) }] });
  const half = c.case_no.replace('（', '(').replace('）', ')');
  let r = await api('clerk', 'GET', `/api/v1/cases?case_no=${encodeURIComponent(half)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.items[0].id, c.id);
  r = await api('clerk', 'GET', `/api/v1/cases?party=${encodeURIComponent('欧阳')}`);
  assert.ok(r.json.items.some((i) => i.id === c.id));
  const a0 = Number(zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pii.search'`)[0].n);
  r = await api('clerk', 'GET', `/api/v1/cases?id_number=${idNumber('210104', '19660606', 7)}`);
  assert.equal(r.json.items[0].id, c.id);
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pii.search'`)[0].n), a0 + 1);
  r = await api('clerk', 'GET', '/api/v1/cases?status=closed&size=100');
  assert.ok(r.json.items.every((i) => i.status === 'closed'));
  assert.ok(r.json.total >= 5);
  assertErr(await api('clerk', 'GET', '/api/v1/cases?status=bogus'), 400, 'BAD_REQUEST');
});

test('party-name search: a case whose two parties share the prefix is listed once; pages are disjoint and newest first', async () => {
  const a = await file({ filed_on: daysAgo(3), applied_on: daysAgo(3), parties: [{ ...APPLICANT, name: '慕容复' }, { ...DEBTOR_P, name: '慕容博', id_number: idNumber('210104', '19700101', 11) }] });
  const b = await file({ filed_on: daysAgo(2), applied_on: daysAgo(2), parties: [APPLICANT, { ...DEBTOR_P, name: '慕容龙城', id_number: idNumber('210104', '19710101', 12) }] });
  const prefix = encodeURIComponent('慕容');
  let r = await api('clerk', 'GET', `/api/v1/cases?party=${prefix}&size=100`);
  assert.equal(r.status, 200, r.text);
  const ids = r.json.items.map((i) => i.id);
  assert.equal(ids.filter((i) => i === a.id).length, 1, 'two matching parties, one row');
  assert.equal(r.json.total, ids.length);
  assert.ok(ids.indexOf(b.id) < ids.indexOf(a.id), 'newest filing first');
  const p1 = await api('clerk', 'GET', `/api/v1/cases?party=${prefix}&size=1&page=1`);
  const p2 = await api('clerk', 'GET', `/api/v1/cases?party=${prefix}&size=1&page=2`);
  assert.equal(p1.json.items.length, 1);
  assert.equal(p2.json.items.length, 1);
  assert.notEqual(p1.json.items[0].id, p2.json.items[0].id);
  assert.equal(p1.json.total, r.json.total);
  // with a filter outside the party index (status) the general path gives the same cases
  r = await api('clerk', 'GET', `/api/v1/cases?party=${prefix}&status=open&size=100`);
  assert.ok(r.json.items.some((i) => i.id === a.id) && r.json.items.some((i) => i.id === b.id));
  // the filing-date window narrows the party index too
  r = await api('clerk', 'GET', `/api/v1/cases?party=${prefix}&filed_from=${daysAgo(2)}&size=100`);
  assert.ok(r.json.items.some((i) => i.id === b.id) && !r.json.items.some((i) => i.id === a.id));
  // another court's clerk does not see them
  const other = await api('clerk', 'GET', `/api/v1/cases?party=${prefix}&court=${encodeURIComponent('辽0103')}`);
  assert.ok(other.status === 403 || !other.json.items.some((i) => i.id === a.id));
});

test('to-do ordered by nearest deadline with levels; overdue list per handler and court', async () => {
  // filed 20 days ago, never assigned → assign (7 d) and notice (10 d) overdue
  const c = await file({ applied_on: daysAgo(20), filed_on: daysAgo(20) });
  await api('clerk', 'PUT', `/api/v1/cases/${c.id}/assignment`, { handler_id: judgeId });
  const r = await api('judge', 'GET', '/api/v1/todo');
  assert.equal(r.status, 200, r.text);
  const dues = r.json.items.map((i) => i.due_on);
  assert.deepEqual(dues, [...dues].sort());
  const mine = r.json.items.filter((i) => i.case_id === c.id);
  assert.ok(mine.some((i) => i.kind === 'notice' && i.level === 'overdue'), JSON.stringify(mine));
  assert.ok(r.json.counts.overdue >= 1);
  const o = await api('chief', 'GET', `/api/v1/deadlines/overdue?court=${encodeURIComponent(COURT)}`);
  assert.equal(o.status, 200, o.text);
  assert.ok(o.json.items.some((i) => i.case_id === c.id));
  assert.ok(o.json.by_handler.some((h) => h.handler?.id === judgeId && h.overdue >= 1));
  assert.equal(o.json.by_court[0].court_code, COURT);
});

test('case-meta and triage settings', async () => {
  const m = await api('judge', 'GET', '/api/v1/case-meta');
  assert.equal(m.json.stages.length, 11);
  assert.equal(m.json.closure_modes.length, 6);
  assert.ok(m.json.actions.some((a) => a.kind === 'coercive_measure'));
  assertErr(await api('judge', 'PUT', '/api/v1/settings/triage', { rules: [], default: 'fast' }), 403, 'FORBIDDEN');
  let r = await api('chief', 'PUT', '/api/v1/settings/triage', { rules: [{ track: 'fast', max_claim_fen: 100 }], default: 'complex' });
  assert.equal(r.status, 200, r.text);
  const c = await file();
  assert.equal(c.track, 'complex');
  r = await api('chief', 'PUT', '/api/v1/settings/triage', { rules: [{ track: 'fast', max_claim_fen: 10000000, max_debtors: 1, property_clue: false }], default: 'complex' });
  assert.equal(r.status, 200);
});

test('extension: requested within the 5 days before expiry, approved by the chief, extends the limit (期限规定 art 1)', async () => {
  const d = new Date(Date.now() + 8 * 3600e3);
  d.setUTCMonth(d.getUTCMonth() - 6);
  d.setUTCDate(d.getUTCDate() + 2);
  const filed = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const c = await fileAssigned({ applied_on: filed, filed_on: filed,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初7号', effective_on: daysAgo(400) } });
  assert.ok(c.limit_date >= TODAY, `${c.limit_date} ≥ ${TODAY}`);
  assert.ok(c.clocks.level === 'warning', JSON.stringify(c.clocks)); // warns from 5 days before expiry
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_approval`, { approve: true }), 409, 'INVALID_STATE');
  await act(c.id, 'extension_request', { months: 1, reason: '拍卖程序尚未完成' }); // 审限规定 art 5: in months
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_approval`, { approve: true }), 403, 'FORBIDDEN');
  const j = await act(c.id, 'extension_approval', { approve: true }, 'chief');
  assert.equal(j.case.extension_months, 1);
  assert.ok(j.case.limit_date > c.limit_date);
  assert.equal(j.case.clocks.deadlines.find((x) => x.kind === 'extension_decision').done, true);
});
