// credit_staff.test.mjs — 失信 / 限消 decisions through the staff API end to end (docs/api/credit-staff.md):
// propose → 院长 approve → served → effective, a partner's /credit/check blocks a flight in the same
// second, permits, deletion → allowed again, the gate's reasons (minor, 6-month bar), 限消 of a unit
// binding its four persons, grace period, corrections, 特殊主体 matching. SQLite and PostgreSQL
// (ZX_TEST_DB=postgres ZX_TEST_PG_URL=…).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ROLE } from './lib.mjs';

let zx, judge, chief, judgeTok, chiefTok, partnerKey, command, commandTok;
const COURT = '辽0102';

// GB 11643 check character.
function idno(region, ymd, seq) {
  const body = `${region}${ymd}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * w[i];
  return body + '10X98765432'[s % 11];
}
// GB 32100 统一社会信用代码 with a GB 11714 organisation code body.
function uscc(region, n) {
  const org8 = String(n).padStart(8, '0');
  const w11714 = [3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 8; i++) s += Number(org8[i]) * w11714[i];
  const c9 = 11 - (s % 11);
  const org = org8 + (c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9));
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const body = `91${region}${org}`;
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let t = 0;
  for (let i = 0; i < 17; i++) t += A.indexOf(body[i]) * w[i];
  const c = 31 - (t % 31);
  return body + A[c === 31 ? 0 : c];
}
function ymdMinusYears(years, extraDays = 0) {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() + extraDays);
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}
function today() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}
function addDays(s, n) {
  const d = new Date(s + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const ADULT = idno('210102', '19850312', 123);
const ADULT2 = idno('210102', '19790704', 457);
const MINOR = idno('210102', ymdMinusYears(16), 222);
const UNIT = uscc('210102', 4567001);
const REP = idno('210103', '19700101', 111);
const CTRL = idno('210103', '19720202', 333);

async function api(method, path, token, body) {
  return zx.api(method, path, { token, body });
}
function assertReasons(r, status, code, reasonCode) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code, r.text);
  assert.ok(Array.isArray(r.json.error.reasons), r.text);
  for (const x of r.json.error.reasons) {
    assert.match(x.code, /^[A-Z_]+$/);
    assert.ok(x.article && x.message, r.text);
  }
  if (reasonCode) assert.ok(r.json.error.reasons.some((x) => x.code === reasonCode), `${reasonCode} expected: ${r.text}`);
}
async function check(id, category = 'flight') {
  const r = await zx.api('POST', '/api/v1/credit/check', { token: partnerKey, body: { id_number: id, category } });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

let caseId, parties;
async function fileCase(debtors, claim = 5000000) {
  const r = await api('POST', '/api/v1/cases', judgeTok, {
    type_code: '执', court: COURT, applied_on: addDays(today(), -20), filed_on: addDays(today(), -18), claim_fen: claim,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2025）辽0102民初77号', effective_on: addDays(today(), -60), act: null, non_litigation: false },
    conditions: { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true },
    property_clue: false,
    parties: [{ role: 'applicant', kind: 'person', name: '申请人甲', id_number: idno('210102', '19900101', 5) }, ...debtors],
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  const a = await api('PUT', `/api/v1/cases/${id}/assignment`, chiefTok, { handler_id: judge.id });
  assert.equal(a.status, 200, a.text);
  return r.json;
}
function partyId(k, name) {
  const p = k.parties.find((x) => x.name === name);
  assert.ok(p, `party ${name} in ${JSON.stringify(k.parties.map((x) => x.name))}`);
  return p.id;
}

before(async () => {
  zx = await startServer();
  judge = zx.userByRole(ROLE.judge, COURT);
  chief = zx.userByRole(ROLE.chief, COURT);
  command = zx.userByRole(ROLE.command, COURT) || zx.userByRole(ROLE.command);
  judgeTok = await zx.login(judge.username, zx.creds.demoPassword);
  chiefTok = await zx.login(chief.username, zx.creds.demoPassword);
  commandTok = command ? await zx.login(command.username, zx.creds.demoPassword) : null;
  // Partner key from the CLI (the contract). A running server loads keys at start and on
  // API-side partner changes, so a second partner made through the API reloads the key cache.
  const out = zx.cli(['partner', 'add', '--name', '测试航空', '--scopes', 'credit:check']);
  assert.equal(out.code, 0, out.stderr);
  partnerKey = out.stdout.trim().split('\n').pop().trim();
  const sec = await zx.login(zx.creds.secadmin.username, zx.creds.secadmin.password);
  const p = await api('POST', '/api/v1/partners', sec, { name: '测试铁路', kind: 'rail', scopes: ['credit:check'] });
  assert.equal(p.status, 201, p.text);
  const k = await fileCase([
    { role: 'debtor', kind: 'person', name: '被执行人乙', id_number: ADULT },
    { role: 'debtor', kind: 'person', name: '未成年丙', id_number: MINOR },
    { role: 'debtor', kind: 'unit', name: '某某贸易有限公司', credit_code: UNIT,
      unit_persons: [{ role_of_unit: 'legal_rep', name: '法代丁', id_number: REP }, { role_of_unit: 'controller', name: '实控戊', id_number: CTRL }] },
    { role: 'debtor', kind: 'person', name: '被执行人己', id_number: ADULT2 },
  ]);
  caseId = k.id;
  parties = k;
});
after(async () => { await zx?.stop(); });

test('meta lists six grounds (art 1) with terms (art 2), triggers (art 10) and nine-item categories', async () => {
  const r = await api('GET', '/api/v1/credit/meta', judgeTok);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.grounds.length, 6);
  assert.equal(r.json.grounds[0].term, 'none');
  assert.equal(r.json.grounds[1].term_years, 2);
  assert.ok(r.json.deletion_triggers.some((t) => t.code === 'no_property_after_interim'));
  assert.ok(r.json.categories.some((c) => c.code === 'flight'));
});

test('minor refused with reason MINOR (失信规定 art 4); every reason listed at once', async () => {
  const r = await api('POST', '/api/v1/credit/decisions', judgeTok, {
    case_id: caseId, party_id: partyId(parties, '未成年丙'), ground: 1, conduct: '拒不履行',
    facts: { security_adequate: true },
  });
  assertReasons(r, 422, 'LISTING_NOT_ALLOWED', 'MINOR');
  assert.ok(r.json.error.reasons.some((x) => x.code === 'ADEQUATE_SECURITY' && /art 3/.test(x.article)), r.text);
  const g = await api('POST', '/api/v1/credit/gate', judgeTok, { case_id: caseId, party_id: partyId(parties, '未成年丙'), ground: 2, conduct: 'x' });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.allowed, false);
});

let entryId, decisionId;
test('list end to end: propose → 院长 approve → served → partner blocks a flight in the same second', async () => {
  const pid = partyId(parties, '被执行人乙');
  const p = await api('POST', '/api/v1/credit/decisions', judgeTok, {
    case_id: caseId, party_id: pid, ground: 1, conduct: '有履行能力而拒不履行', grace_months: 0, on_application: true,
  });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.status, 'proposed');
  decisionId = p.json.id;
  assert.equal((await check(ADULT)).decision, 'allow');
  // a judge cannot sign for the 院长
  const j = await api('POST', `/api/v1/credit/decisions/${decisionId}/approve`, judgeTok, {});
  assert.equal(j.status, 403, j.text);
  const a = await api('POST', `/api/v1/credit/decisions/${decisionId}/approve`, chiefTok, {});
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.status, 'approved');
  assert.equal((await check(ADULT)).decision, 'allow', 'signed but not served: no effect (法发〔2019〕35号)');
  const s = await api('POST', `/api/v1/credit/decisions/${decisionId}/serve`, judgeTok, { method: 'direct' });
  const t0 = Date.now();
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'effective');
  assert.equal(s.json.term_end, null, 'ground 1: no fixed term (art 2)');
  entryId = s.json.entry_id;
  const c = await check(ADULT);
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(c.decision, 'block', JSON.stringify(c));
  assert.ok(c.basis.some((b) => b.list === 'dishonest' && b.case_no === parties.case_no), JSON.stringify(c));
  // 限消 order created with it (限消规定 art 1 para 2)
  const st = await api('GET', `/api/v1/credit/cases/${caseId}`, judgeTok);
  assert.equal(st.status, 200, st.text);
  assert.ok(st.json.entries.some((e) => e.list === 'restricted' && e.name === '被执行人乙' && e.status === 'active'), st.text);
  // case event written
  const ev = zx.sql(`SELECT kind FROM case_event WHERE case_id = ${caseId} ORDER BY seq`).map((x) => x.kind);
  for (const k of ['credit_proposed', 'credit_approved', 'credit_served', 'credit_effective']) assert.ok(ev.includes(k), ev.join(','));
  // twice → ALREADY_LISTED
  const again = await api('POST', '/api/v1/credit/decisions', judgeTok, { case_id: caseId, party_id: pid, ground: 2, conduct: 'x' });
  assertReasons(again, 422, 'LISTING_NOT_ALLOWED', 'ALREADY_LISTED');
});

test('temporary permission (法发〔2019〕35号 para 17(3)) allows flights in the window only, after the 院长 approves', async () => {
  const from = today(), to = addDays(today(), 2);
  const r = await api('POST', `/api/v1/credit/entries/${entryId}/permits`, judgeTok, {
    kind: 'medical', categories: ['flight'], from, to, reason: '母亲重病赴京就医',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'pending');
  assert.equal((await check(ADULT, 'flight')).decision, 'block', 'waits for the 院长');
  const inbox = await api('GET', '/api/v1/approvals?kind=temporary_permit', chiefTok);
  const item = inbox.json.items.find((x) => x.object_id === r.json.id);
  assert.ok(item, inbox.text);
  const ap = await api('POST', `/api/v1/approvals/${item.id}/approve`, chiefTok, { opinion: '同意' });
  assert.equal(ap.status, 200, ap.text);
  assert.equal((await check(ADULT, 'flight')).decision, 'allow');
  assert.equal((await check(ADULT, 'hotel')).decision, 'block');
  const bad = await api('POST', `/api/v1/credit/entries/${entryId}/permits`, judgeTok, {
    kind: 'exam', categories: ['hotel'], from, to: addDays(today(), 60), reason: 'x',
  });
  assert.equal(bad.status, 422, bad.text);
  const rv = await api('DELETE', `/api/v1/credit/permits/${r.json.id}`, judgeTok);
  assert.equal(rv.status, 200, rv.text);
  assert.equal((await check(ADULT, 'flight')).decision, 'block');
});

test('deletion on full performance: due in 3 working days (art 10); allowed again; 限消 lifted', async () => {
  const r = await api('POST', `/api/v1/credit/entries/${entryId}/deletion`, judgeTok, { trigger: 'full_performance', execute: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'done');
  assert.ok(r.json.due_on > r.json.trigger_on);
  assert.equal((await check(ADULT, 'flight')).decision, 'allow');
  assert.equal((await check(ADULT, 'hotel')).decision, 'allow');
  const e = await api('GET', `/api/v1/credit/entries/${entryId}`, judgeTok);
  assert.equal(e.json.status, 'deleted');
});

test('applicant-requested deletion bars re-listing on application for 6 months (art 10 para 4)', async () => {
  const pid = partyId(parties, '被执行人己');
  // ground 4 needs a served 报告财产令 whose period has passed without a true report (失信规定 art 1(4))
  const n = await api('POST', `/api/v1/cases/${caseId}/actions/enforcement_notice`, judgeTok, { with_report_order: true, report_days: 5, on_date: addDays(today(), -17) });
  assert.equal(n.status, 200, n.text);
  const p = await api('POST', '/api/v1/credit/decisions', judgeTok, { case_id: caseId, party_id: pid, ground: 4, conduct: '违反财产报告制度', grace_months: 0, on_application: true });
  assert.equal(p.status, 201, p.text);
  const early = await api('POST', `/api/v1/credit/decisions/${p.json.id}/serve`, judgeTok, {});
  assert.equal(early.status, 409, 'not served before it is signed');
  assert.equal(early.json.error.code, 'NOT_SIGNED');
  assert.equal((await api('POST', `/api/v1/credit/decisions/${p.json.id}/approve`, chiefTok, {})).status, 200);
  const a = await api('POST', `/api/v1/credit/decisions/${p.json.id}/serve`, judgeTok, {});
  assert.equal(a.json.status, 'effective', a.text);
  assert.ok(a.json.term_end, 'ground 4: 2-year term');
  // extension 1–3 years by the 院长
  const bad = await api('POST', `/api/v1/credit/entries/${a.json.entry_id}/extend`, chiefTok, { years: 4, reason: 'multiple_acts' });
  assertReasons(bad, 422, 'EXTENSION_NOT_ALLOWED', 'INVALID_EXTENSION');
  const ext = await api('POST', `/api/v1/credit/entries/${a.json.entry_id}/extend`, chiefTok, { years: 1, reason: 'multiple_acts' });
  assert.equal(ext.status, 200, ext.text);
  assert.ok(ext.json.term_end > a.json.term_end);
  const st = await api('GET', `/api/v1/credit/cases/${caseId}`, judgeTok);
  const rOrder = st.json.entries.find((e) => e.list === 'restricted' && e.name === '被执行人己' && e.status === 'active');
  const lf = await api('POST', `/api/v1/credit/entries/${rOrder.id}/lift`, judgeTok, { reason: 'security' });
  assertReasons(lf, 422, 'LIFT_NOT_ALLOWED', 'DISHONEST_LISTED');
  const d = await api('POST', `/api/v1/credit/entries/${a.json.entry_id}/deletion`, judgeTok, { trigger: 'applicant_request', execute: true });
  assert.equal(d.status, 201, d.text);
  const again = await api('POST', '/api/v1/credit/decisions', judgeTok, { case_id: caseId, party_id: pid, ground: 4, conduct: 'x', on_application: true });
  assertReasons(again, 422, 'LISTING_NOT_ALLOWED', 'RELISTING_BAR');
});

test('限消 of a unit binds its legal rep and controller; grace period not effective; lifting', async () => {
  const pid = partyId(parties, '某某贸易有限公司');
  const p = await api('POST', '/api/v1/credit/decisions', judgeTok, { case_id: caseId, party_id: pid, list: 'restricted', grace_months: 1 });
  assert.equal(p.status, 201, p.text);
  await api('POST', `/api/v1/credit/decisions/${p.json.id}/approve`, chiefTok, {});
  const s = await api('POST', `/api/v1/credit/decisions/${p.json.id}/serve`, judgeTok, {});
  assert.equal(s.json.status, 'effective', s.text);
  assert.equal(s.json.entry_status, 'grace');
  assert.ok(s.json.publish_on > today());
  assert.equal((await check(REP, 'flight')).decision, 'allow', 'in grace: not published');
  const st = await api('GET', `/api/v1/credit/cases/${caseId}`, judgeTok);
  const bound = st.json.entries.filter((e) => e.bound_by_entry_id === s.json.entry_id);
  assert.deepEqual(bound.map((e) => e.bound_role).sort(), ['controller', 'legal_rep']);
  const wl = await api('GET', '/api/v1/credit/worklist/grace-ending?days=40', judgeTok);
  assert.equal(wl.status, 200, wl.text);
  assert.ok(wl.json.items.some((e) => e.id === s.json.entry_id), wl.text);
  // lifting with applicant consent lifts the unit and its persons
  const l = await api('POST', `/api/v1/credit/entries/${s.json.entry_id}/lift`, judgeTok, { reason: 'applicant_consent' });
  assert.equal(l.status, 200, l.text);
  assert.equal(l.json.status, 'lifted');
  assert.equal((await check(REP, 'flight')).decision, 'allow');
  const st2 = await api('GET', `/api/v1/credit/cases/${caseId}`, judgeTok);
  assert.ok(st2.json.entries.filter((e) => e.bound_by_entry_id === s.json.entry_id).every((e) => e.status === 'lifted'));
});

test('correction application: 15-day review, 复议 after rejection (art 11–12)', async () => {
  const st = await api('GET', `/api/v1/credit/cases/${caseId}`, judgeTok);
  const e = st.json.entries.find((x) => x.list === 'dishonest');
  const c = await api('POST', `/api/v1/credit/entries/${e.id}/correction-applications`, judgeTok, { applicant_name: '被执行人乙', kind: 'inaccurate', reason: '履行情况记载有误' });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.status, 'pending');
  assert.ok(c.json.review_due >= addDays(c.json.received_on, 15));
  const d = await api('POST', `/api/v1/credit/correction-applications/${c.json.id}/decide`, judgeTok, { outcome: 'rejected', note: '理由不成立' });
  assert.equal(d.json.status, 'rejected', d.text);
  assert.ok(d.json.reconsider_by);
  const rc = await api('POST', `/api/v1/credit/correction-applications/${c.json.id}/reconsider`, judgeTok, { reason: '不服' });
  assert.equal(rc.json.status, 'reconsidering', rc.text);
  const wl = await api('GET', '/api/v1/credit/worklist/corrections', judgeTok);
  assert.ok(wl.json.items.some((x) => x.id === c.json.id), wl.text);
});

test('特殊主体: roster import (JSON + CSV) and matches against debtors, reads audited (art 8)', async () => {
  const r = await api('POST', '/api/v1/credit/special-subjects/import', chiefTok, {
    items: [{ name: '被执行人乙', id_number: ADULT, category: 'official', employer: '某区人民政府' },
            { name: '坏数据', id_number: '123', category: 'official' }],
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.imported, 1);
  assert.equal(r.json.errors.length, 1);
  const csv = `name,id_number,category,employer\n某某贸易有限公司,${UNIT},state_firm,某国资委\n`;
  const r2 = await zx.api('POST', '/api/v1/credit/special-subjects/import', { token: chiefTok, body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r2.status, 200, r2.text);
  assert.equal(r2.json.imported, 1);
  const m = await api('GET', '/api/v1/credit/special-subjects/matches', chiefTok);
  assert.equal(m.status, 200, m.text);
  assert.ok(m.json.items.some((x) => x.debtor.name === '被执行人乙' && x.match === 'id_number'), m.text);
  assert.ok(m.json.items.some((x) => x.debtor.name === '某某贸易有限公司' && x.match === 'credit_code'), m.text);
  const a = zx.sql("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'credit.special.read'");
  assert.ok(Number(a[0].n) >= 1);
});

test('worklist per court; another court cannot see this case', async () => {
  const w = await api('GET', '/api/v1/credit/worklist', judgeTok);
  assert.equal(w.status, 200, w.text);
  for (const k of ['pending_approval', 'grace_ending', 'deletions_due', 'deletions_overdue', 'corrections_due']) assert.ok(Array.isArray(w.json[k]), k);
  const other = zx.users().find((u) => Number(u.is_demo) && (Number(u.roles) & ROLE.judge) && u.court_code !== COURT && u.court_code.length > 3);
  if (other) {
    const tok = await zx.login(other.username, zx.creds.demoPassword);
    const r = await api('GET', `/api/v1/credit/cases/${caseId}`, tok);
    assert.ok(r.status === 403 || r.status === 404, r.text);
  }
});

test('entry lists, 更正 and 撤销 (art 9), repair settings (local rules)', async () => {
  const l = await api('GET', `/api/v1/credit/entries?case_id=${caseId}&list=restricted`, judgeTok);
  assert.equal(l.status, 200, l.text);
  assert.ok(l.json.total >= 1 && l.json.items.every((e) => e.list === 'restricted'), l.text);
  const q = await api('GET', `/api/v1/credit/entries?q=${encodeURIComponent('被执行人乙')}`, judgeTok);
  assert.equal(q.status, 200, q.text);
  assert.ok(q.json.items.length >= 1 && q.json.items.every((e) => e.name === '被执行人乙'), q.text);
  const all = await api('GET', '/api/v1/credit/worklist/deletions?state=all', judgeTok);
  assert.equal(all.status, 200, all.text);
  assert.ok(all.json.items.length >= 2, all.text);
  // a fresh listing of 己 (ex officio, so no 6-month bar) to correct and then revoke
  const pid = partyId(parties, '被执行人己');
  const p = await api('POST', '/api/v1/credit/decisions', judgeTok, { case_id: caseId, party_id: pid, ground: 3, conduct: '转移财产规避执行' });
  assert.equal(p.status, 201, p.text);
  await api('POST', `/api/v1/credit/decisions/${p.json.id}/approve`, chiefTok, {});
  const s = await api('POST', `/api/v1/credit/decisions/${p.json.id}/serve`, judgeTok, {});
  assert.equal(s.json.status, 'effective', s.text);
  assert.equal((await check(ADULT2)).decision, 'block');
  const c = await api('POST', `/api/v1/credit/entries/${s.json.entry_id}/correct`, judgeTok, { reason: '履行情况记载有误', changes: { performance: '部分未履行' } });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.performance, '部分未履行');
  const rv = await api('POST', `/api/v1/credit/entries/${s.json.entry_id}/revoke`, judgeTok, { reason: '不应纳入：已提供担保' });
  assert.equal(rv.status, 200, rv.text);
  assert.equal(rv.json.status, 'revoked');
  // the 限消 order of the earlier listing (not lifted by an applicant-requested deletion) still binds 己;
  // while 失信 it could not be lifted (限消规定 art 1 para 2), now it can be, with the applicant's consent
  const after = await check(ADULT2);
  assert.equal(after.decision, 'block');
  assert.ok(after.basis.every((b) => b.list === 'restricted'), JSON.stringify(after));
  const st = await api('GET', `/api/v1/credit/cases/${caseId}`, judgeTok);
  const rOrder = st.json.entries.find((e) => e.list === 'restricted' && e.name === '被执行人己' && e.status === 'active');
  assert.ok(rOrder, st.text);
  const lf = await api('POST', `/api/v1/credit/entries/${rOrder.id}/lift`, judgeTok, { reason: 'applicant_consent' });
  assert.equal(lf.status, 200, lf.text);
  assert.equal((await check(ADULT2)).decision, 'allow');
  const feed = zx.sql(`SELECT action FROM credit_change WHERE entry_id = ${s.json.entry_id} ORDER BY seq`).map((x) => x.action);
  assert.deepEqual(feed, ['listed', 'corrected', 'revoked']);
  const g = await api('GET', '/api/v1/credit/settings/repair', judgeTok);
  assert.equal(g.status, 200, g.text);
  const put = await api('PUT', '/api/v1/credit/settings/repair', chiefTok, { enabled: true, early_deletion_after_months: 3, min_performed_percent: 80 });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.early_deletion_after_months, 3);
  const denied = await api('PUT', '/api/v1/credit/settings/repair', judgeTok, { enabled: false, early_deletion_after_months: 3, min_performed_percent: 80 });
  assert.equal(denied.status, 403, denied.text);
});
