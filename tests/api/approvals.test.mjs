// approvals.test.mjs — the one approval inbox (docs/api/approvals.md, src/approval/approval.h): a judge's
// request that needs the 院长's signature (终本, extension, fine, detention) lands in the chief's inbox
// with age and deadline; approve / return with an opinion runs the action in the same transaction,
// writes the result to the case as an event and an audit record; only the court's chief decides.
// Runs on SQLite and PostgreSQL (ZX_TEST_DB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORDS } from './lib.mjs';
import { idNumber } from './ids.mjs';

let zx;
const tok = {};
const pad = (n) => String(n).padStart(2, '0');
function shanghai(d) { return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; }
function daysAgo(n) { return shanghai(new Date(Date.now() + 8 * 3600e3 - n * 86400e3)); }

const CONDITIONS = { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true };
function filing(over = {}) {
  return {
    type_code: '执', applied_on: daysAgo(1), claim_fen: 5_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初100号', effective_on: daysAgo(400) },
    conditions: CONDITIONS,
    parties: [
      { role: 'applicant', kind: 'person', name: '张三', id_number: idNumber('210102', '19800315', 123) },
      { role: 'debtor', kind: 'person', name: '李四', id_number: idNumber('210103', '19751104', 91) },
    ],
    ...over,
  };
}
const api = (who, method, p, body) => zx.api(method, p, { token: tok[who], body });
function assertErr(r, status, code) {
  assert.equal(r.status, status, `${status} expected, got ${r.status}: ${r.text}`);
  assert.equal(r.json?.error?.code, code, r.text);
}
let judgeId;
async function fileAssigned(over) {
  let r = await api('clerk', 'POST', '/api/v1/cases', filing(over));
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  r = await api('clerk', 'PUT', `/api/v1/cases/${c.id}/assignment`, { handler_id: judgeId });
  assert.equal(r.status, 200, r.text);
  return r.json;
}
const events = async (id) => (await api('judge', 'GET', `/api/v1/cases/${id}/events`)).json.items;
// the whole waiting list (the demo court's chief already has 20–30 items waiting, oldest first: an
// item just submitted can be on page 2 of the default 20)
const inbox = async (who = 'chief', q = '') => {
  const all = q.includes('page_size') ? '' : `${q ? '&' : '?'}page_size=200`;
  const r = await api(who, 'GET', `/api/v1/approvals${q}${all}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

before(async () => {
  zx = await startServer();
  for (const [k, u] of Object.entries({
    clerk: 'demo_filing_clerk_liao0102', judge: 'demo_judge_liao0102', chief: 'demo_chief_liao0102',
    otherChief: 'demo_chief_liao0103',
  })) tok[k] = await zx.login(u, PASSWORDS.demo);
  judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
});
after(async () => { await zx?.stop(); });

test('a fine asked for by the judge waits in the chief\'s inbox and is carried out on approval (民诉法 art 119)', async () => {
  const c = await fileAssigned();
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/coercive_measure`,
    { measure: 'fine', target_kind: 'person', target_name: '李四', amount_fen: 100_000 });
  assert.equal(r.status, 202, r.text);
  const aid = r.json.approval.id;
  assert.ok(!(await events(c.id)).some((e) => e.kind === 'coercive_measure'), 'not carried out before the signature');
  assert.ok((await events(c.id)).some((e) => e.kind === 'approval_submitted'));
  // a second identical request is refused while the first waits
  assertErr(await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/coercive_measure`,
    { measure: 'fine', target_kind: 'person', target_name: '李四', amount_fen: 100_000 }), 409, 'APPROVAL_PENDING');

  const box = await inbox();
  const item = box.items.find((i) => i.id === aid);
  assert.ok(item, JSON.stringify(box));
  assert.equal(item.kind, 'fine');
  assert.equal(item.kind_label, '罚款决定');
  assert.equal(item.case_no, c.case_no);
  assert.equal(item.court.code, '辽0102');
  assert.equal(item.age_days, 0);
  assert.equal(item.can_decide, true);
  assert.match(item.summary, /罚款 1,000\.00 元/);
  assert.ok(box.waiting >= 1);
  assert.equal(box.total, box.items.length);
  // the judge sees it among what they submitted, and cannot decide it
  const mine = await inbox('judge');
  assert.ok(mine.items.some((i) => i.id === aid && i.can_decide === false));
  assertErr(await api('judge', 'POST', `/api/v1/approvals/${aid}/approve`, {}), 403, 'FORBIDDEN');
  // another court's chief does not even see it
  assertErr(await api('otherChief', 'POST', `/api/v1/approvals/${aid}/approve`, {}), 404, 'NOT_FOUND');

  const ok = await api('chief', 'POST', `/api/v1/approvals/${aid}/approve`, { opinion: '同意' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'approved');
  assert.equal(ok.json.opinion, '同意');
  const ev = await events(c.id);
  const fine = ev.find((e) => e.kind === 'coercive_measure');
  assert.ok(fine, 'the fine is recorded by the approving transaction');
  assert.ok(ev.some((e) => e.kind === 'approval_approved' && e.data.opinion === '同意'));
  const audit = zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'approval.approve' AND object_id = '${aid}'`);
  assert.equal(Number(audit[0].n), 1);
  assertErr(await api('chief', 'POST', `/api/v1/approvals/${aid}/approve`, {}), 409, 'ALREADY_DECIDED');
  assert.ok(!(await inbox()).items.some((i) => i.id === aid));
});

test('return needs an opinion; a returned 终本 request writes the opinion to the case and changes nothing else', async () => {
  const c = await fileAssigned();
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/chief_approval`, { for: 'interim_closure' });
  assert.equal(r.status, 202, r.text);
  const aid = r.json.approval.id;
  assertErr(await api('chief', 'POST', `/api/v1/approvals/${aid}/return`, { opinion: '  ' }), 400, 'OPINION_REQUIRED');
  const ret = await api('chief', 'POST', `/api/v1/approvals/${aid}/return`, { opinion: '财产调查不充分，请补充网络查控' });
  assert.equal(ret.status, 200, ret.text);
  assert.equal(ret.json.status, 'returned');
  const ev = await events(c.id);
  assert.ok(!ev.some((e) => e.kind === 'chief_approval'));
  assert.ok(ev.some((e) => e.kind === 'approval_returned' && /网络查控/.test(e.data.opinion)));
  const hist = await inbox('judge', '?status=returned');
  assert.ok(hist.items.some((i) => i.id === aid && i.opinion.includes('网络查控')));
  // asked again and approved: the chief_approval node is recorded as the chief
  const again = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/chief_approval`, { for: 'interim_closure' });
  assert.equal(again.status, 202, again.text);
  const ok = await api('chief', 'POST', `/api/v1/approvals/${again.json.approval.id}/approve`, {});
  assert.equal(ok.status, 200, ok.text);
  const chiefId = zx.users().find((u) => u.username === 'demo_chief_liao0102').id;
  const node = (await events(c.id)).find((e) => e.kind === 'chief_approval');
  assert.ok(node);
  assert.equal(String(node.user_id ?? node.user?.id), chiefId);
});

test('an extension request is submitted with its deadline; approval extends the limit (期限规定 art 1)', async () => {
  const d = new Date(Date.now() + 8 * 3600e3);
  d.setUTCMonth(d.getUTCMonth() - 6);
  d.setUTCDate(d.getUTCDate() + 2);
  const filed = shanghai(d);
  const c = await fileAssigned({ applied_on: filed, filed_on: filed });
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/extension_request`, { months: 1, reason: '拍卖程序尚未完成' });
  assert.equal(r.status, 200, r.text);
  const item = (await inbox()).items.find((i) => i.case_id === c.id && i.kind === 'extension');
  assert.ok(item);
  assert.equal(item.due_on, c.limit_date);
  assert.ok(['warning', 'overdue', 'ok'].includes(item.level));
  const ok = await api('chief', 'POST', `/api/v1/approvals/${item.id}/approve`, { opinion: '同意延长' });
  assert.equal(ok.status, 200, ok.text);
  const k = (await api('judge', 'GET', `/api/v1/cases/${c.id}`)).json;
  assert.ok(k.extension_days > 0 || k.extension_months > 0, JSON.stringify(k));
  assert.ok(k.limit_date > c.limit_date);
});

test('the chief deciding on the case page settles the inbox item too (one record of each decision)', async () => {
  const c = await fileAssigned();
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/chief_approval`, { for: 'interim_closure' });
  assert.equal(r.status, 202);
  const direct = await api('chief', 'POST', `/api/v1/cases/${c.id}/actions/chief_approval`, { for: 'interim_closure' });
  assert.equal(direct.status, 200, direct.text);
  const a = (await api('chief', 'GET', `/api/v1/approvals/${r.json.approval.id}`)).json;
  assert.equal(a.status, 'approved');
});

test('inbox paging, kinds and bad input', async () => {
  const kinds = (await api('judge', 'GET', '/api/v1/approval-kinds')).json;
  for (const k of ['interim_closure', 'extension', 'fine', 'detention']) assert.ok(kinds.some((x) => x.kind === k && x.label), k);
  const all = await inbox('chief', '?scope=courts&status=all&page_size=2');
  assert.ok(all.total >= all.items.length);
  assert.ok(all.items.length <= 2);
  const p2 = await inbox('chief', '?scope=courts&status=all&page_size=2&page=2');
  if (all.total > 2) assert.notEqual(p2.items[0].id, all.items[0].id);
  assertErr(await api('chief', 'GET', '/api/v1/approvals?scope=x'), 400, 'BAD_REQUEST');
  assertErr(await api('chief', 'GET', '/api/v1/approvals?page_size=0'), 400, 'BAD_REQUEST');
  assertErr(await api('chief', 'GET', '/api/v1/approvals/123'), 404, 'NOT_FOUND');
  const n = (await api('chief', 'GET', '/api/v1/approvals/count')).json;
  assert.equal(typeof n.waiting, 'number');
});

test('a 失信 decision proposed by the judge waits in the inbox; approving signs it (失信规定 art 6), returning rejects it', async () => {
  const c = await fileAssigned({ parties: [
    { role: 'applicant', kind: 'person', name: '张三', id_number: idNumber('210102', '19800315', 123) },
    { role: 'debtor', kind: 'person', name: '孙五', id_number: idNumber('210103', '19700101', 35) },
    { role: 'debtor', kind: 'person', name: '周六', id_number: idNumber('210103', '19710202', 57) },
  ] });
  const pid = (name) => c.parties.find((p) => p.name === name).id;
  const propose = async (name) => {
    const r = await api('judge', 'POST', '/api/v1/credit/decisions', { case_id: c.id, party_id: pid(name), ground: 1, conduct: '有履行能力而拒不履行', grace_months: 0 });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const d1 = await propose('孙五'), d2 = await propose('周六');
  const box = await inbox('chief', `?case_id=${c.id}`);
  const i1 = box.items.find((i) => i.object_id === d1), i2 = box.items.find((i) => i.object_id === d2);
  assert.ok(i1 && i2, JSON.stringify(box));
  assert.equal(i1.kind, 'dishonest_listing');
  assert.match(i1.summary, /孙五.*失信规定第1条第1项/);
  let r = await api('chief', 'POST', `/api/v1/approvals/${i1.id}/approve`, { opinion: '同意纳入' });
  assert.equal(r.status, 200, r.text);
  let d = (await api('judge', 'GET', `/api/v1/credit/decisions/${d1}`)).json;
  assert.equal(d.status, 'approved');
  r = await api('chief', 'POST', `/api/v1/approvals/${i2.id}/return`, { opinion: '被执行人已提供担保' });
  assert.equal(r.status, 200, r.text);
  d = (await api('judge', 'GET', `/api/v1/credit/decisions/${d2}`)).json;
  assert.equal(d.status, 'rejected');
  // signing on the credit page settles the inbox item as well
  const d3 = await propose('周六');
  r = await api('chief', 'POST', `/api/v1/credit/decisions/${d3}/approve`, {});
  assert.equal(r.status, 200, r.text);
  const i3 = (await inbox('chief', `?case_id=${c.id}&scope=courts&status=all`)).items.find((i) => i.object_id === d3);
  assert.equal(i3.status, 'approved');
});

test('GET /cases/:id → actions: what THIS caller may do in THIS state (authorisation and state together)', async () => {
  tok.judge2 = tok.judge2 || await zx.login('demo_judge2_liao0102', PASSWORDS.demo);
  tok.finance = tok.finance || await zx.login('demo_finance_liao0102', PASSWORDS.demo);
  const c = await fileAssigned();
  const kinds = async (who) => {
    const r = await api(who, 'GET', `/api/v1/cases/${c.id}`);
    assert.equal(r.status, 200, r.text);
    return new Map(r.json.actions.map((a) => [a.kind, a]));
  };
  const handler = await kinds('judge');
  assert.ok(handler.has('enforcement_notice') && handler.has('close') && handler.has('assign'));
  assert.equal(handler.get('coercive_measure').approval, true, 'a fine goes to the 院长 (民诉法 art 119)');
  assert.equal(handler.get('chief_approval').approval, true);
  assert.ok(!handler.has('extension_approval'), 'decided in the inbox, not by the handler');
  assert.ok(!handler.has('resume'), 'open case: no 恢复执行');
  assert.ok(!handler.has('suspension_end'), 'state: no suspension running');
  const other = await kinds('judge2'); // same court, not the handler
  assert.equal(other.size, 0, JSON.stringify([...other.keys()]));
  const fin = await kinds('finance');
  assert.equal(fin.size, 0);
  const chief = await kinds('chief');
  assert.equal(chief.get('coercive_measure').approval, false, 'the chief signs it himself');
  assert.ok(chief.has('assign'));
  // every offered node action is accepted by the server for that caller (no 403): try a harmless one
  const r = await api('judge', 'POST', `/api/v1/cases/${c.id}/actions/note`, { text: '阅卷' });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.case.actions.some((a) => a.kind === 'note'));
  // a refused caller gets 403 for an action that is not offered to them
  assert.equal((await api('judge2', 'POST', `/api/v1/cases/${c.id}/actions/note`, { text: 'x' })).status, 403);
});
