// Party portal (issue 15 items 1–2; docs/api/portal.md): sign-in with 案号 + query code + SMS one-time
// code through the notify outbox and the simulated gateway, lockouts, "my case" for the applicant and
// the debtor, one case per session, every view audited. Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer, startSim, PASSWORDS } from './lib.mjs';
import { idNumber } from './ids.mjs';

let zx, sim;
const tok = {};
const pad = (n) => String(n).padStart(2, '0');
function daysAgo(n) {
  const d = new Date(Date.now() + 8 * 3600e3 - n * 86400e3);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const CONDITIONS = { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true };
let seq = 0;
async function fileCase(appPhone, debtorPhone) {
  seq++;
  const t0 = Date.now();
  const body = {
    type_code: '执', applied_on: daysAgo(1), claim_fen: 10_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: `（2024）辽0102民初${700 + seq}号`, effective_on: daysAgo(100) },
    conditions: CONDITIONS,
    parties: [
      { role: 'applicant', kind: 'person', name: `申请人${seq}`, id_number: idNumber('210102', '19820315', 300 + seq), phone: appPhone },
      { role: 'debtor', kind: 'person', name: `被执行人${seq}`, id_number: idNumber('210103', '19751104', 400 + seq), ...(debtorPhone ? { phone: debtorPhone } : {}) },
    ],
  };
  let r = await zx.api('POST', '/api/v1/cases', { token: tok.clerk, body });
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  r = await zx.api('PUT', `/api/v1/cases/${c.id}/assignment`, { token: tok.clerk, body: { handler_id: tok.judgeId } });
  assert.equal(r.status, 200, r.text);
  r = await zx.api('GET', `/api/v1/cases/${c.id}/portal-codes`, { token: tok.judge });
  assert.equal(r.status, 200, r.text);
  c.codes = Object.fromEntries(r.json.parties.map((p) => [p.role, p.query_code]));
  for (const p of r.json.parties) assert.match(p.query_code, /^[2-9A-HJKMNP-Z]{8}$/);
  if (process.env.PORTAL_DEBUG) console.log('fileCase', Date.now() - t0);
  return c;
}
function assertErr(r, status, code) {
  assert.equal(r.status, status, `${status} expected, got ${r.status}: ${r.text}`);
  if (code) assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message.length > 0);
}
// The text a PDF shows (libharu: Flate streams, strings literal or hex), for checking what a document prints.
async function pdfText(path, cookie) {
  const res = await fetch(`${zx.base}${path}`, { headers: { cookie } });
  assert.equal(res.status, 200, path);
  assert.match(res.headers.get('content-type'), /application\/pdf/);
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
  let out = '';
  for (let i = buf.indexOf('stream'); i >= 0; i = buf.indexOf('stream', i + 6)) {
    let start = i + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    const end = buf.indexOf('endstream', start);
    if (end < 0) break;
    try { out += zlib.inflateSync(buf.subarray(start, end)).toString('latin1'); } catch { /* not a Flate stream */ }
    i = end;
  }
  return out.replace(/<([0-9A-Fa-f\s]+)>/g, (_, h) => Buffer.from(h.replace(/\s/g, ''), 'hex').toString('latin1'));
}
async function smsCode(phone, after = 0) {
  for (let i = 0; i < 100; i++) {
    const items = (await sim.api('GET', `/sms/v1/messages?to=${phone}`)).json.items.filter((m) => m.template === 'portal_otp');
    if (items.length > after) return { code: /验证码：(\d{6})/.exec(items[items.length - 1].text)[1], n: items.length };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('no one-time code arrived at the simulated gateway');
}
async function signIn(c, role, phone) {
  const t0 = Date.now();
  const before = (await sim.api('GET', `/sms/v1/messages?to=${phone}`)).json.items.filter((m) => m.template === 'portal_otp').length;
  const r = await zx.api('POST', '/api/v1/portal/party/login', { body: { case_no: c.case_no, query_code: c.codes[role].toLowerCase() } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.phone, `${phone.slice(0, 3)}****${phone.slice(-4)}`);
  const { code } = await smsCode(phone, before);
  const v = await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: r.json.login_id, code } });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.role, role);
  const ck = /zx_portal=([0-9a-f]{64})/.exec(v.headers.get('set-cookie'));
  assert.ok(ck, 'session cookie');
  assert.match(v.headers.get('set-cookie'), /HttpOnly; SameSite=Strict/);
  if (process.env.PORTAL_DEBUG) console.log("signIn", Date.now() - t0);
  return `zx_portal=${ck[1]}`;
}

before(async () => {
  sim = await startSim();
  zx = await startServer({ env: { ZX_SIM_URL: sim.url }, serveEnv: { ZX_PUBLIC_RATE_PER_MIN: '1000' } });
  for (const [k, u] of Object.entries({ clerk: 'demo_filing_clerk_liao0102', judge: 'demo_judge_liao0102', other: 'demo_judge_liao0103',
    chief: 'demo_chief_liao0102', finance: 'demo_finance_liao0102' }))
    tok[k] = await zx.login(u, PASSWORDS.demo);
  tok.judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
  const sec = await zx.login(zx.creds.secadmin.username, zx.creds.secadmin.password);
  const r = await zx.api('POST', '/api/v1/partners', { token: sec, body: { name: '某商业银行', kind: 'bank', scopes: ['funds:notify'] } });
  assert.equal(r.status, 201, r.text);
  tok.bank = r.json.api_key;
  const b = await zx.api('POST', '/api/v1/funds/bank-accounts', { token: tok.finance, body: { account_no: '6222020400012345679', name: '和平区法院执行款专户' } });
  assert.ok(b.status === 201 || b.status === 409, b.text);
});
after(async () => { try { await zx?.stop(); } finally { await sim?.stop(); } });

test('query code + SMS one-time code → session; my case for the applicant and the debtor; one case only; audited', async () => {
  const c = await fileCase('13900000151', '13900000152');
  const other = await fileCase('13900000153', '13900000154');
  // another court's judge cannot read the codes
  assert.ok([403, 404].includes((await zx.api('GET', `/api/v1/cases/${c.id}/portal-codes`, { token: tok.other })).status));
  // no session → 401
  assertErr(await zx.api('GET', '/api/v1/portal/party/case'), 401, 'PARTY_LOGIN_REQUIRED');
  assertErr(await zx.api('GET', '/api/v1/portal/party/case', { cookie: `zx_portal=${'a'.repeat(64)}` }), 401, 'PARTY_LOGIN_REQUIRED');

  const app = await signIn(c, 'applicant', '13900000151');
  let r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: app });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case_no, c.case_no);
  assert.equal(r.json.me.role, 'applicant');
  assert.equal(r.json.handler.name.length > 0, true);
  const kinds = r.json.nodes.map((n) => n.kind);
  assert.ok(kinds.includes('filed') && kinds.includes('assigned'), JSON.stringify(kinds));
  assert.ok(r.json.nodes.every((n) => n.label && !/[a-z_]{4,}/.test(n.label)), 'Chinese labels');
  assert.ok(Array.isArray(r.json.account_movements));
  assert.ok(Array.isArray(r.json.deadlines) && r.json.deadlines.some((d) => d.kind === 'time_limit'));
  assert.equal(r.json.owed, undefined, 'the applicant is not shown a debt');
  // the 受理通知书 served on the applicant prints its query code (item 1); the contact is the court's number
  const acc = r.json.documents.find((d) => d.kind === 'acceptance_notice');
  assert.ok(acc && acc.title === '受理通知书', JSON.stringify(r.json.documents));
  assert.ok((await pdfText(`/api/v1/portal/party/documents/${acc.id}`, app)).includes(c.codes.applicant), 'the query code is printed');
  assert.match(r.json.handler.phone, /^\d{3,4}-\d{7,8}$/, 'the demo court\'s number for parties');
  assert.ok(r.json.handler.contact.includes(r.json.handler.phone));

  // the 执行通知书 with the 报告财产令 (10 days): the debtor's code printed on it, the report's period its deadline
  r = await zx.api('POST', `/api/v1/cases/${c.id}/actions/enforcement_notice`, { token: tok.judge, body: { with_report_order: true, report_days: 10 } });
  assert.equal(r.status, 200, r.text);
  const debt = await signIn(c, 'debtor', '13900000152');
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: debt });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.me.role, 'debtor');
  const notice = r.json.documents.find((d) => d.kind === 'enforcement_notice');
  assert.ok(notice, JSON.stringify(r.json.documents));
  assert.ok((await pdfText(`/api/v1/portal/party/documents/${notice.id}`, debt)).includes(c.codes.debtor), 'the debtor\'s code on the 执行通知书');
  const rep = r.json.deadlines.find((d) => d.kind === 'property_report');
  assert.ok(rep && !rep.done && rep.due_on >= daysAgo(-10), JSON.stringify(r.json.deadlines));
  // 100 days since the basis took effect: 10,000,000 fen × 0.000175 × 100 = 175,000 fen (迟延履行利息解释 art 1)
  assert.equal(r.json.owed.principal_fen, 10_000_000);
  assert.equal(r.json.owed.interest_days, 100);
  assert.equal(r.json.owed.delay_interest_fen, 175_000);
  assert.equal(r.json.owed.total_fen, 10_175_000);
  assert.match(r.json.pay_to.account_no, /^95\d{16}$/);
  // how to pay: the court's 执行款专户 with the case account number as the remark (as the 执行通知书 says)
  assert.match(r.json.pay_to.bank_account_no, /^\d{12,19}$/);
  assert.ok(r.json.pay_to.note.includes(r.json.pay_to.bank_account_no) && r.json.pay_to.note.includes(r.json.pay_to.account_no), r.json.pay_to.note);
  assert.equal(r.json.account_movements, undefined, 'the debtor does not see the account movements');
  assert.ok(!r.json.documents.some((d) => d.kind === 'acceptance_notice'), 'the 受理通知书 is the applicant\'s');

  // a party session names its own case only: another case's document is not found
  const docs = await zx.api('GET', `/api/v1/cases/${other.id}/documents`, { token: tok.judge });
  if (docs.status === 200 && (docs.json.documents || docs.json.items || []).length) {
    const d = (docs.json.documents || docs.json.items)[0];
    assertErr(await zx.api('GET', `/api/v1/portal/party/documents/${d.id}`, { cookie: debt }), 404, 'NOT_FOUND');
  }
  assertErr(await zx.api('GET', '/api/v1/portal/party/documents/1', { cookie: debt }), 404, 'NOT_FOUND');
  assertErr(await zx.api('GET', '/api/v1/portal/party/documents/abc', { cookie: debt }), 400);

  // every sign-in step and view is audited
  // (views are written by the batched view log within ~200 ms)
  let a = [];
  for (let i = 0; i < 50; i++) {
    a = zx.sql(`SELECT action, result FROM audit_log WHERE object_id = '${c.id}' AND action LIKE 'portal.%'`);
    if (a.filter((x) => x.action === 'portal.view').length >= 2) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(a.filter((x) => x.action === 'portal.view').length >= 2, JSON.stringify(a));
  assert.ok(a.filter((x) => x.action === 'portal.login' && x.result === 'ok').length >= 4);
  // codes stored only as hashes
  const rows = zx.sql(`SELECT otp_hash FROM portal_login WHERE case_id = ${c.id}`);
  assert.ok(rows.length >= 2 && rows.every((x) => /^[0-9a-f]{64}$/.test(x.otp_hash)));

  // node notifications (item 4): filed + assigned, once per party with a phone, delivered by the sender
  // (the filing-day 查控 may add the applicant's property-found node: counted apart)
  const nodes = zx.sql(`SELECT dedup_key FROM notify_outbox WHERE case_id = ${c.id} AND template = 'portal_node'
    AND params NOT LIKE '%"node":"property"%'`);
  assert.equal(nodes.length, 4, JSON.stringify(nodes));
  let list;
  for (let i = 0; i < 80; i++) {
    list = (await zx.api('GET', `/api/v1/cases/${c.id}/notifications`, { token: tok.judge })).json.notifications;
    if (list.filter((x) => x.template === 'portal_node').every((x) => x.status === 'sent')) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const pn = list.filter((x) => x.template === 'portal_node' && !/发现被执行人名下财产/.test(x.text));
  assert.equal(pn.length, 4);
  assert.ok(pn.every((x) => x.status === 'sent' && /^139\*{4}\d{4}$/.test(x.to) && /立案执行|承办法官/.test(x.text)), JSON.stringify(pn));
  assert.ok(list.filter((x) => x.template === 'portal_otp').every((x) => !/\d{6}/.test(x.text)), 'one-time codes not shown');
  const smsApp = (await sim.api('GET', '/sms/v1/messages?to=13900000151')).json.items.filter((m) => m.template === 'portal_node'
    && !/发现被执行人名下财产/.test(m.text));
  assert.equal(smsApp.length, 2, 'each node once');
  assert.ok([403, 404].includes((await zx.api('GET', `/api/v1/cases/${c.id}/notifications`, { token: tok.other })).status));

  // logout ends the session
  r = await zx.api('POST', '/api/v1/portal/party/logout', { cookie: app, body: {} });
  assert.equal(r.status, 200, r.text);
  assertErr(await zx.api('GET', '/api/v1/portal/party/case', { cookie: app }), 401, 'PARTY_LOGIN_REQUIRED');
});

test('locks as for staff: 5 wrong query codes or one-time codes lock the case 30 min; a completed sign-in clears the count; no phone; bad input', async () => {
  const c = await fileCase('13900000155', null);
  const login = (q, no = c.case_no) => zx.api('POST', '/api/v1/portal/party/login', { body: { case_no: no, query_code: q } });
  const verify = (id, code) => zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: id, code } });
  // unknown case answers like a wrong code
  assertErr(await login('ABCDEFGH', '（2099）辽0102执99999号'), 401, 'BAD_QUERY_CODE');
  assertErr(await zx.api('POST', '/api/v1/portal/party/login', { body: {} }), 400, 'BAD_REQUEST');
  assertErr(await zx.api('POST', '/api/v1/portal/party/login', { body: 'not json' }), 400);
  // the debtor has no phone on file
  assertErr(await login(c.codes.debtor), 409, 'NO_PHONE');
  // wrong one-time codes count across attempts: 3 on one, 2 on the next → the case's sign-in is locked,
  // even with the right query code; a new attempt cannot reset the count
  let r = await login(c.codes.applicant);
  assert.equal(r.status, 200, r.text);
  let { code, n } = await smsCode('13900000155');
  const wrong = (x) => (x === '000000' ? '111111' : '000000');
  for (let i = 1; i <= 3; i++) {
    const v = await verify(r.json.login_id, wrong(code));
    assertErr(v, 401, 'BAD_CODE');
    assert.equal(v.json.error.tries_left, 5 - i);
  }
  r = await login(c.codes.applicant);
  assert.equal(r.status, 200, r.text);
  ({ code } = await smsCode('13900000155', n));
  let v = await verify(r.json.login_id, wrong(code));
  assertErr(v, 401, 'BAD_CODE');
  assert.equal(v.json.error.tries_left, 1, 'the fourth wrong code of the case');
  assertErr(await verify(r.json.login_id, wrong(code)), 423, 'LOCKED');
  assertErr(await verify(r.json.login_id, code), 423, 'LOCKED');
  r = await login(c.codes.applicant);
  assertErr(r, 423, 'LOCKED');
  assert.ok(Number(r.headers.get('retry-after')) > 1700, 'about 30 minutes');
  assertErr(await verify('12345', code), 404, 'LOGIN_NOT_FOUND');
  // query codes: 4 wrong, then the right one and a completed sign-in clear the count …
  const c2 = await fileCase('13900000156', null);
  const login2 = (q) => login(q, c2.case_no);
  for (let i = 1; i <= 4; i++) {
    const x = await login2('WRONG' + i);
    assertErr(x, 401, 'BAD_QUERY_CODE');
    assert.equal(x.json.error.tries_left, 5 - i);
  }
  await signIn(c2, 'applicant', '13900000156');
  // … so 4 more are still 401; the fifth locks, and the right code is refused while locked
  for (let i = 1; i <= 4; i++) assertErr(await login2('WRONG' + i), 401, 'BAD_QUERY_CODE');
  assertErr(await login2('WRONG5'), 423, 'LOCKED');
  assertErr(await login2(c2.codes.applicant), 423, 'LOCKED');
  const f = zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE object_id = '${c.id}' AND action = 'portal.login' AND result = 'failed'`);
  assert.equal(Number(f[0].n), 5, 'each wrong code audited');
});

test('one public search: the four lists and the auction lots in one answer; bad input 400', async () => {
  const lots = (await zx.api('GET', '/api/v1/public/auctions')).json.auctions;
  assert.ok(lots.length > 0, 'demo lots');
  const word = [...lots[0].title].slice(0, 4).join('');
  const r = await zx.api('GET', `/api/v1/portal/search?q=${encodeURIComponent(word)}`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.auctions.some((l) => l.id === lots[0].id), r.text.slice(0, 300));
  for (const k of ['dishonest', 'restricted', 'debtor', 'interim_closure']) assert.ok(k in r.json.lists, k);
  assertErr(await zx.api('GET', '/api/v1/portal/search?q=a'), 400, 'BAD_QUERY');
  assertErr(await zx.api('GET', '/api/v1/portal/search'), 400, 'BAD_QUERY');
});

test('限制出境 (民诉法 art 266; 执行程序解释 arts 23–24): only against a debtor of the case, once; published with its lifting', async () => {
  const c = await fileCase('13900000261', '13900000262');
  const debtor = `被执行人${seq}`;
  const act = (kind, body) => zx.api('POST', `/api/v1/cases/${c.id}/actions/${kind}`, { token: tok.judge, body });
  let r = await act('exit_restriction', { basis: 'applicant_request', target_kind: 'person', target_name: '路人甲' });
  assertErr(r, 400);
  assert.ok(JSON.stringify(r.json).includes('NOT_A_DEBTOR'), r.text);
  assertErr(await act('exit_restriction_lifted', { target_name: debtor, reason: 'performed' }), 409, 'INVALID_STATE');
  r = await act('exit_restriction', { basis: 'applicant_request', target_kind: 'person', target_name: debtor, reason: '申请执行人书面申请' });
  assert.equal(r.status, 200, r.text);
  r = await act('exit_restriction', { basis: 'ex_officio', target_kind: 'person', target_name: debtor });
  assertErr(r, 400);
  assert.ok(JSON.stringify(r.json).includes('ALREADY_RESTRICTED'), r.text);
  r = await zx.api('GET', `/api/v1/portal/measures?measure=exit_restriction&q=${encodeURIComponent(c.case_no)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 1);
  assert.deepEqual([r.json.items[0].measure_label, r.json.items[0].target, r.json.items[0].lifted_on], ['限制出境', '被某', undefined]);
  // art 24 para 2: lifted once the debt is performed; the public list then says so
  r = await act('exit_restriction_lifted', { target_name: debtor, reason: 'performed' });
  assert.equal(r.status, 200, r.text);
  r = await zx.api('GET', `/api/v1/portal/measures?measure=exit_restriction&q=${encodeURIComponent(c.case_no)}`);
  assert.ok(r.json.items[0].lifted_on, r.text);
  assertErr(await act('exit_restriction_lifted', { target_name: debtor, reason: 'performed' }), 409, 'INVALID_STATE');
});

test('public platform: coercive measures and case-flow information as their own lists (masked, searchable, paged)', async () => {
  const c = await fileCase('13900000251', '13900000252');
  // a fine on the debtor, asked by the judge and signed by the chief (民诉法 art 119)
  let r = await zx.api('POST', `/api/v1/cases/${c.id}/actions/coercive_measure`, { token: tok.judge,
    body: { measure: 'fine', target_kind: 'person', target_name: `被执行人${seq}`, amount_fen: 500_000 } });
  assert.equal(r.status, 202, r.text);
  r = await zx.api('POST', `/api/v1/approvals/${r.json.approval.id}/approve`, { token: tok.chief, body: { opinion: '同意' } });
  assert.equal(r.status, 200, r.text);
  r = await zx.api('GET', `/api/v1/portal/measures?q=${encodeURIComponent(c.case_no)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 1);
  const m = r.json.items[0];
  assert.deepEqual([m.case_no, m.court, m.measure_label, m.target, m.amount_fen], [c.case_no, '沈阳市和平区人民法院', '罚款', '被某', 500_000]);
  assert.match(m.id_number, /^2101\d{2}\*+\d{3}[\dX]$|\*{4}/, 'the debtor\'s ID number, masked (core/pii)');
  assert.ok(!JSON.stringify(r.json).includes(`被执行人${seq}`), 'a person\'s full name is never published');
  assert.match(r.json.basis, /法发〔2014〕18号/);
  // the one search takes a 案号 too: its flow entry and the measures published on it (no parties)
  r = await zx.api('GET', `/api/v1/portal/search?q=${encodeURIComponent(c.case_no.replace('（', '(').replace('）', ')'))}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case_flow[0].case_no, c.case_no);
  assert.deepEqual(r.json.measures.map((x) => [x.measure_label, x.target]), [['罚款', '被某']]);
  assert.ok(!r.text.includes(`被执行人${seq}`) && !r.text.includes(`申请人${seq}`));
  const all = await zx.api('GET', '/api/v1/portal/measures?court=辽0102&measure=fine&size=1');
  assert.equal(all.status, 200);
  assert.ok(all.json.total >= 1 && all.json.items.length === 1);
  assertErr(await zx.api('GET', '/api/v1/portal/measures?measure=exile'), 400);
  assertErr(await zx.api('GET', '/api/v1/portal/measures?size=51'), 400);
  // case-flow: one 案号 → its flow and public nodes; a court → a page of its cases; no parties
  r = await zx.api('GET', `/api/v1/portal/case-flow?q=${encodeURIComponent(c.case_no)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 1);
  const f = r.json.items[0];
  assert.equal(f.court, '沈阳市和平区人民法院');
  assert.equal(f.status_label, '在办');
  assert.ok(f.nodes.some((x) => x.label === '立案') && f.nodes.some((x) => x.label.startsWith('分案')), JSON.stringify(f.nodes));
  assert.ok(!JSON.stringify(r.json).includes('申请人') && !JSON.stringify(r.json).includes('被执行人'), 'no party names');
  const page2 = await zx.api('GET', '/api/v1/portal/case-flow?court=辽0102&page=2&size=10');
  assert.equal(page2.status, 200);
  assert.equal(page2.json.items.length, 10);
  assert.ok(page2.json.total > 20);
  assert.ok(page2.json.items.every((x) => !x.nodes));
  assertErr(await zx.api('GET', '/api/v1/portal/case-flow'), 400, 'BAD_QUERY');
  assertErr(await zx.api('GET', '/api/v1/portal/case-flow?q=x'), 400, 'BAD_QUERY');
  assertErr(await zx.api('GET', '/api/v1/portal/case-flow?court=火星'), 404, 'COURT_NOT_FOUND');
});

test('open statistics per court and month: JSON and CSV, aggregates only', async () => {
  const year = daysAgo(0).slice(0, 4), month = daysAgo(0).slice(0, 7);
  const r = await zx.api('GET', `/api/v1/portal/stats?year=${year}`);
  assert.equal(r.status, 200, r.text);
  const row = r.json.rows.find((x) => x.court === '沈阳市和平区人民法院' && x.month === month);
  assert.ok(row && row.received >= seq, JSON.stringify(r.json.rows.slice(0, 3)));
  assert.deepEqual(Object.keys(row).sort(), ['asset_case_on_time_rate', 'closed', 'court', 'interim_closure_compliance_rate', 'month',
    'pending', 'petition_closure_rate', 'received', 'recovered_fen', 'three_year_closure_rate']);
  // 月末未结 = every case open at the month's end, the cases carried over from earlier years included — the
  // same figure as the court's own indicators for the month (a court's counts arrive in up to three rows)
  const jan = r.json.rows.find((x) => x.court === '沈阳市和平区人民法院' && x.month === `${year}-01`);
  const ind = await zx.api('GET', `/api/v1/indicators?court=${encodeURIComponent('辽0102')}&from=${year}-01-01&to=${year}-01-31`, { token: tok.chief });
  assert.equal(ind.status, 200, ind.text);
  assert.ok(ind.json.pending > 0 && jan && jan.pending === ind.json.pending, `January: portal ${jan && jan.pending}, indicators ${ind.json.pending}`);
  const now = await zx.api('GET', `/api/v1/indicators?court=${encodeURIComponent('辽0102')}&from=${month}-01&to=${daysAgo(0)}`, { token: tok.chief });
  assert.equal(row.pending, now.json.pending, 'this month: the portal and the indicators agree');
  for (const k of ['asset_case_on_time_rate', 'interim_closure_compliance_rate', 'petition_closure_rate', 'three_year_closure_rate'])
    assert.ok(row[k] >= 0 && row[k] <= 1, k);
  const csv = await zx.api('GET', `/api/v1/portal/stats?year=${year}&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /法院,月份,收案数,结案数,结案执行到位金额（元）,月末未结数,有财产可供执行案件法定期限内实际执结率,终本合格率,执行信访办结率,近三年执行案件整体结案率/);
  assert.ok(csv.text.includes(`沈阳市和平区人民法院,${month},${row.received},`));
  assertErr(await zx.api('GET', '/api/v1/portal/stats?year=abc'), 400);
  assertErr(await zx.api('GET', '/api/v1/portal/stats?format=xml'), 400, 'BAD_FORMAT');
});

// ---- issue 15 items 3–6: messages, clues, applications, 悬赏, lawyers, node SMS settings and opt-out ----
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const b64 = (buf) => buf.toString('base64');
async function smsTo(phone, template, n = 1) {
  for (let i = 0; i < 100; i++) {
    const items = (await sim.api('GET', `/sms/v1/messages?to=${phone}`)).json.items.filter((m) => m.template === template);
    if (items.length >= n) return items;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no ${template} SMS to ${phone}`);
}

test('messages, property clues with attachments, applications: judge and filing clerks answer within their clocks; the answer comes back', async () => {
  const c = await fileCase('13900000161', '13900000162');
  const app = await signIn(c, 'applicant', '13900000161');
  const debt = await signIn(c, 'debtor', '13900000162');
  // a message lands in the judge's to-do with a reply clock
  let r = await zx.api('POST', '/api/v1/portal/party/messages', { cookie: app, body: { body: '请问本案何时发出执行通知书？' } });
  assert.equal(r.status, 201, r.text);
  const msgId = r.json.id;
  assert.match(r.json.due_on, /^\d{4}-\d{2}-\d{2}$/);
  let dl = zx.sql(`SELECT due_on, done, CAST(handler_id AS TEXT) AS handler_id FROM case_deadline WHERE case_id = ${c.id} AND kind = 'message_reply'`);
  assert.equal(dl.length, 1);
  assert.equal(Number(dl[0].done), 0);
  assert.equal(String(dl[0].handler_id), String(tok.judgeId), 'in the handler\'s to-do');
  assertErr(await zx.api('POST', '/api/v1/portal/party/messages', { cookie: app, body: { body: '' } }), 400, 'VALIDATION_FAILED');
  assertErr(await zx.api('POST', '/api/v1/portal/party/messages', { body: { body: '无登录' } }), 401, 'PARTY_LOGIN_REQUIRED');
  let inbox = await zx.api('GET', '/api/v1/portal-inbox?kind=messages', { token: tok.judge });
  assert.equal(inbox.status, 200, inbox.text);
  assert.ok(inbox.json.items.some((m) => m.id === msgId && m.case_no === c.case_no && m.due_on === r.json.due_on));
  assert.ok((await zx.api('GET', '/api/v1/portal-inbox?kind=messages', { token: tok.other })).json.items.every((m) => m.id !== msgId), 'another court does not see it');
  assertErr(await zx.api('POST', `/api/v1/portal-inbox/messages/${msgId}/reply`, { token: tok.other, body: { reply: 'x' } }), 404);
  r = await zx.api('POST', `/api/v1/portal-inbox/messages/${msgId}/reply`, { token: tok.judge, body: { reply: '已于今日发出，请注意查收。' } });
  assert.equal(r.status, 200, r.text);
  assertErr(await zx.api('POST', `/api/v1/portal-inbox/messages/${msgId}/reply`, { token: tok.judge, body: { reply: '再答' } }), 409, 'ALREADY_REPLIED');
  dl = zx.sql(`SELECT done FROM case_deadline WHERE case_id = ${c.id} AND kind = 'message_reply'`);
  assert.equal(Number(dl[0].done), 1, 'the clock stops');
  await smsTo('13900000161', 'portal_reply');

  // a property clue with an attachment starts the 3-day urgent clock (财产调查规定 art 2)
  assertErr(await zx.api('POST', '/api/v1/portal/party/clues', { cookie: debt, body: { description: '被执行人有一辆车' } }), 403, 'APPLICANT_ONLY');
  assertErr(await zx.api('POST', '/api/v1/portal/party/clues', { cookie: app, body: { description: '车辆', attachments: [{ name: 'a.png', content_type: 'image/png', data: b64(Buffer.from('not a png at all')) }] } }), 415, 'UNSUPPORTED_ATTACHMENT');
  assertErr(await zx.api('POST', '/api/v1/portal/party/clues', { cookie: app, body: { description: '车辆', attachments: [{ name: 'a.png', content_type: 'image/png', data: b64(Buffer.concat([PNG, Buffer.alloc(600 * 1024)])) }] } }), 413, 'ATTACHMENT_TOO_LARGE');
  const png = { name: 'a.png', content_type: 'image/png', data: b64(PNG) };
  assertErr(await zx.api('POST', '/api/v1/portal/party/clues', { cookie: app, body: { description: '车辆', attachments: [png, png, png, png] } }), 400, 'TOO_MANY_ATTACHMENTS');
  assert.equal(zx.sql(`SELECT COUNT(*) AS n FROM portal_clue WHERE case_id = ${c.id}`)[0].n, 0, 'nothing half-written');
  r = await zx.api('POST', '/api/v1/portal/party/clues', { cookie: app, body: { description: '被执行人在沈阳市和平区某小区有房产一套，系其个人所有。', urgent: true,
    attachments: [{ name: '房产照片.png', content_type: 'image/png', data: b64(PNG) }] } });
  assert.equal(r.status, 201, r.text);
  const clueId = r.json.id;
  const ev = zx.sql(`SELECT seq FROM case_event WHERE case_id = ${c.id} AND kind = 'property_clue'`);
  assert.equal(ev.length, 1);
  dl = zx.sql(`SELECT due_on, done FROM case_deadline WHERE case_id = ${c.id} AND kind = 'clue_verify' AND ref = ${ev[0].seq}`);
  assert.equal(dl[0].due_on, r.json.due_on);
  const days = (Date.parse(dl[0].due_on) - Date.parse(daysAgo(0))) / 86400e3;
  assert.ok(days >= 3 && days <= 9, `urgent: 3 days (+ holidays): ${days}`);
  inbox = (await zx.api('GET', '/api/v1/portal-inbox?kind=clues', { token: tok.judge })).json.items;
  const ci = inbox.find((x) => x.id === clueId);
  assert.ok(ci && ci.urgent && ci.attachments.length === 1, JSON.stringify(inbox).slice(0, 300));
  const att = await zx.api('GET', `/api/v1/portal-inbox/attachments/${ci.attachments[0].id}`, { token: tok.judge });
  assert.equal(att.status, 200);
  assert.match(att.headers.get('content-type'), /image\/png/);
  r = await zx.api('POST', `/api/v1/portal-inbox/clues/${clueId}/verify`, { token: tok.judge, body: { result: 'found', note: '经核查属实，已查封。' } });
  assert.equal(r.status, 200, r.text);
  dl = zx.sql(`SELECT done FROM case_deadline WHERE case_id = ${c.id} AND kind = 'clue_verify' AND ref = ${ev[0].seq}`);
  assert.equal(Number(dl[0].done), 1, 'verified within its clock: the clock stops');
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: app });
  const pc = r.json.clues.find((x) => x.id === clueId);
  assert.equal(pc.status, 'found');
  assert.equal(pc.answer, '经核查属实，已查封。');
  assert.equal(pc.attachments.length, 1);
  assert.equal(r.json.messages[0].reply, '已于今日发出，请注意查收。');
  assert.ok(r.json.nodes.some((n) => n.kind === 'clue_verified'), 'the verification is a node of the timeline');
  const flow = (await zx.api('GET', `/api/v1/portal/case-flow?q=${encodeURIComponent(c.case_no)}`)).json.items[0].nodes;
  assert.ok(flow.length && !flow.some((n) => /线索|查控/.test(n.label)), `the public flow never says where the court looks: ${JSON.stringify(flow)}`);
  assert.equal((await zx.api('GET', `/api/v1/portal/party/attachments/${pc.attachments[0].id}`, { cookie: app })).status, 200);
  assertErr(await zx.api('GET', `/api/v1/portal/party/attachments/${pc.attachments[0].id}`, { cookie: (await signIn(await fileCase('13900000163', null), 'applicant', '13900000163')) }), 404);

  // applications reach the right list: 执行行为异议 (open case) → the filing clerks; 恢复执行 on an open case refused
  assertErr(await zx.api('POST', '/api/v1/portal/party/applications', { cookie: app, body: { kind: 'resume', reason: '发现新财产' } }), 409, 'APPLICATION_NOT_ALLOWED');
  assertErr(await zx.api('POST', '/api/v1/portal/party/applications', { cookie: app, body: { kind: 'other', reason: 'x' } }), 400);
  r = await zx.api('POST', '/api/v1/portal/party/applications', { cookie: debt, body: { kind: 'act_objection', reason: '查封的房屋系本人唯一住房。' } });
  assert.equal(r.status, 201, r.text);
  const appId = r.json.id;
  inbox = (await zx.api('GET', '/api/v1/portal-inbox?kind=applications', { token: tok.clerk })).json.items;
  assert.ok(inbox.some((x) => x.id === appId && x.status === 'act_objection' && x.due_on === r.json.due_on), JSON.stringify(inbox).slice(0, 300));
  r = await zx.api('POST', `/api/v1/portal-inbox/applications/${appId}/decide`, { token: tok.clerk, body: { accept: false, opinion: '异议事项不属于执行行为异议范围。' } });
  assert.equal(r.status, 200, r.text);
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: debt });
  assert.equal(r.json.applications[0].status, 'rejected');
  assert.deepEqual(r.json.can.applications, ['act_objection']);
  assert.equal(r.json.clues.length, 0, 'the debtor is never shown the applicant\'s clues');
  assert.ok(!r.json.nodes.some((n) => ['property_clue', 'clue_verified', 'network_inquiry'].includes(n.kind)), 'nor where the court looks');
  assert.ok(!r.json.deadlines.some((d) => ['clue_verify', 'message_reply'].includes(d.kind)), 'nor the applicant\'s clocks');
  assertErr(await zx.api('GET', `/api/v1/portal/party/attachments/${pc.attachments[0].id}`, { cookie: debt }), 404);

  // an accepted objection files the 执异 case in the same transaction, linked to the original, 15-day clock
  // (民诉法 art 236; 异议复议规定 art 2)
  r = await zx.api('POST', '/api/v1/portal/party/applications', { cookie: debt, body: { kind: 'act_objection', reason: '扣划的存款系社会保障金。' } });
  assert.equal(r.status, 201, r.text);
  const obj = r.json.id;
  const before = Number(zx.sql("SELECT COUNT(*) AS n FROM enf_case WHERE type_code = '执异'")[0].n);
  r = await zx.api('POST', `/api/v1/portal-inbox/applications/${obj}/decide`, { token: tok.clerk, body: { accept: true, opinion: '符合执行异议受理条件，予以立案。' } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.new_case_id, r.text);
  const yi = zx.sql(`SELECT case_no, type_code, CAST(parent_case_id AS TEXT) AS parent, filed_on, limit_date, fee_fen, court_id FROM enf_case WHERE id = ${r.json.new_case_id}`)[0];
  assert.equal(yi.type_code, '执异');
  assert.equal(yi.parent, String(c.id));
  assert.match(yi.case_no, /执异\d+号$/);
  assert.equal(Number(yi.fee_fen), 0, '诉讼费用交纳办法 art 10: no fee for an objection');
  assert.equal((Date.parse(yi.limit_date) - Date.parse(yi.filed_on)) / 86400e3, 15, '民诉法 art 236: 15 days');
  assert.equal(Number(zx.sql("SELECT COUNT(*) AS n FROM enf_case WHERE type_code = '执异'")[0].n), before + 1);
  assert.equal(zx.sql(`SELECT CAST(result_case_id AS TEXT) AS id FROM portal_application WHERE id = ${obj}`)[0].id, r.json.new_case_id);
  assert.equal(zx.sql(`SELECT COUNT(*) AS n FROM case_event WHERE case_id = ${c.id} AND kind = 'objection_filed'`)[0].n + '', '1');
  assert.equal(zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.objection' AND object_id = '${r.json.new_case_id}'`)[0].n + '', '1');
  const parties = zx.sql(`SELECT COUNT(*) AS n FROM case_party WHERE case_id = ${r.json.new_case_id}`)[0].n;
  assert.equal(Number(parties), 2, 'the original\'s parties');
  assertErr(await zx.api('POST', `/api/v1/portal-inbox/applications/${obj}/decide`, { token: tok.clerk, body: { accept: true, opinion: '再次' } }), 409, 'ALREADY_DECIDED');
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: debt });
  assert.equal(r.json.applications.find((x) => x.id === obj).status, 'accepted');

  // a closed case takes no message, clue or 悬赏; the party is told so, nothing is written
  r = await zx.api('POST', `/api/v1/cases/${c.id}/close`, { token: tok.judge, body: { mode: 'termination', reason: 'debtor_bankrupt' } });
  assert.equal(r.status, 200, r.text);
  const msgs = Number(zx.sql(`SELECT COUNT(*) AS n FROM portal_message WHERE case_id = ${c.id}`)[0].n);
  assertErr(await zx.api('POST', '/api/v1/portal/party/messages', { cookie: app, body: { body: '请问结案后还能执行吗？' } }), 409, 'CASE_CLOSED');
  assertErr(await zx.api('POST', '/api/v1/portal/party/clues', { cookie: app, body: { description: '新发现一处房产' } }), 409, 'CASE_CLOSED');
  assertErr(await zx.api('POST', '/api/v1/portal/party/rewards', { cookie: app, body: { amount_fen: 100_000, commitment: true } }), 409, 'REWARD_NOT_ALLOWED');
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM portal_message WHERE case_id = ${c.id}`)[0].n), msgs, 'nothing half-written');
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: app });
  assert.deepEqual([r.json.can.message, r.json.can.clue, r.json.can.reward], [false, false, false]);
});

test('a 终本 case: 终本 objection and 恢复执行 filed on the portal reach the filing clerks; accepting 恢复执行 files the 执恢 case', async () => {
  // a demo 终本 case of this court whose applicant (a person) has a phone on file and whose handler is the judge
  const row = zx.sql(`SELECT CAST(e.id AS TEXT) AS id, e.case_no FROM enf_case e WHERE e.court_id = (SELECT id FROM court WHERE code = '辽0102')
    AND e.closure_mode = 'interim_closure' AND e.handler_id = ${tok.judgeId} AND e.type_code = '执'
    AND EXISTS (SELECT 1 FROM case_party p WHERE p.case_id = e.id AND p.role = 'applicant' AND p.kind = 'person' AND p.phone_enc IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM enf_case n WHERE n.parent_case_id = e.id) ORDER BY e.id LIMIT 1`)[0];
  assert.ok(row, 'a demo 终本 case');
  const k = (await zx.api('GET', `/api/v1/cases/${row.id}?unmask=1`, { token: tok.judge })).json;
  const ap = k.parties.find((p) => p.role === 'applicant' && p.phone);
  const codes = (await zx.api('GET', `/api/v1/cases/${row.id}/portal-codes`, { token: tok.judge })).json.parties;
  const c = { id: row.id, case_no: row.case_no, codes: { applicant: codes.find((p) => p.party_id === ap.id).query_code } };
  const app = await signIn(c, 'applicant', ap.phone);
  let r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: app });
  assert.deepEqual(r.json.can.applications.sort(), ['interim_objection', 'resume']);
  assert.equal(r.json.can.message, false);
  r = await zx.api('POST', '/api/v1/portal/party/applications', { cookie: app, body: { kind: 'interim_objection', reason: '法院未对被执行人名下车辆采取措施即终结本次执行程序。' } });
  assert.equal(r.status, 201, r.text);
  const objId = r.json.id;
  r = await zx.api('POST', '/api/v1/portal/party/applications', { cookie: app, body: { kind: 'resume', reason: '发现被执行人在某小区有房产一套。' } });
  assert.equal(r.status, 201, r.text);
  const resId = r.json.id;
  assertErr(await zx.api('POST', '/api/v1/portal/party/applications', { cookie: app, body: { kind: 'resume', reason: '再次申请' } }), 409, 'APPLICATION_NOT_ALLOWED');
  const list = (await zx.api('GET', '/api/v1/portal-inbox?kind=applications', { token: tok.clerk })).json.items;
  const ob = list.find((x) => x.id === objId), rs = list.find((x) => x.id === resId);
  assert.ok(ob && ob.status === 'interim_objection' && rs && rs.status === 'resume', JSON.stringify(list).slice(0, 400));
  // 3 days for an objection (异议复议规定 art 2), 7 for 恢复执行 (执行工作规定 art 16)
  assert.ok(rs.due_on > ob.due_on, `${ob.due_on} < ${rs.due_on}`);
  r = await zx.api('POST', `/api/v1/portal-inbox/applications/${resId}/decide`, { token: tok.clerk, body: { accept: true, opinion: '申请执行人提供了可供执行的财产，恢复执行。', reason: 'property_found' } });
  assert.equal(r.status, 200, r.text);
  const nc = zx.sql(`SELECT type_code, CAST(parent_case_id AS TEXT) AS parent FROM enf_case WHERE id = ${r.json.new_case_id}`)[0];
  assert.deepEqual([nc.type_code, nc.parent], ['执恢', String(row.id)]);
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: app });
  assert.match(r.json.applications.find((x) => x.id === resId).new_case_no, /执恢\d+号$/);
});

test('悬赏: application, decision within 10 days, public notice, tips with identity, reward paid from the case account through the ledger', async () => {
  const c = await fileCase('13900000171', '13900000172');
  const app = await signIn(c, 'applicant', '13900000171');
  assertErr(await zx.api('POST', '/api/v1/portal/party/rewards', { cookie: app, body: { amount_fen: 500_000 } }), 400, 'COMMITMENT_REQUIRED');
  assertErr(await zx.api('POST', '/api/v1/portal/party/rewards', { cookie: app, body: { amount_fen: 500_000, percent_bp: 500, commitment: true } }), 400);
  let r = await zx.api('POST', '/api/v1/portal/party/rewards', { cookie: app, body: { amount_fen: 500_000, commitment: true } });
  assert.equal(r.status, 201, r.text);
  const rid = r.json.id;
  const dl = zx.sql(`SELECT due_on FROM case_deadline WHERE case_id = ${c.id} AND kind = 'reward_decision' AND done = 0`);
  assert.equal(dl[0].due_on, r.json.due_on);
  assert.ok((Date.parse(dl[0].due_on) - Date.parse(daysAgo(0))) / 86400e3 >= 10, '10 days (财产调查规定 art 21)');
  assertErr(await zx.api('POST', '/api/v1/portal/party/rewards', { cookie: app, body: { amount_fen: 1, commitment: true } }), 409, 'REWARD_NOT_ALLOWED');
  r = await zx.api('POST', `/api/v1/portal-inbox/rewards/${rid}/decide`, { token: tok.judge, body: { approve: true, opinion: '被执行人下落不明，准许悬赏。', publish_days: 60 } });
  assert.equal(r.status, 200, r.text);
  const pub = (await zx.api('GET', '/api/v1/portal/rewards')).json.rewards.find((x) => x.id === rid);
  assert.ok(pub && pub.case_no === c.case_no && /5,000\.00/.test(pub.reward), JSON.stringify(pub));
  assert.match(pub.debtors[0].id_number, /\*{4}/, 'masked');
  const found = await zx.api('GET', `/api/v1/portal/search?q=${encodeURIComponent(pub.debtors[0].name)}`);
  assert.ok(found.json.rewards.some((x) => x.id === rid), 'the one search finds the 悬赏 notice');
  assertErr(await zx.api('POST', `/api/v1/portal/rewards/${rid}/tips`, { body: { name: '李举报', id_number: '123', phone: '13900000179', clue: '被执行人在某地有车辆' } }), 400, 'INVALID_ID_NUMBER');
  // the tipster proves the phone first: an SMS one-time code through the outbox and the simulated gateway
  const tipBody = { name: '李举报', id_number: idNumber('210104', '19900101', 777), phone: '13900000179', clue: '被执行人在铁西区某车库停放一辆轿车。' };
  r = await zx.api('POST', `/api/v1/portal/rewards/${rid}/tips`, { body: tipBody });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.phone, '139****0179');
  const vid = r.json.verify_id;
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM reward_tip WHERE reward_id = ${rid}`)[0].n), 0, 'not registered before the code');
  const tipSms = await smsTo('13900000179', 'portal_tip_otp');
  const tipCode = /验证码：(\d{6})/.exec(tipSms[tipSms.length - 1].text)[1];
  const wrong = tipCode === '000000' ? '111111' : '000000';
  r = await zx.api('POST', '/api/v1/portal/rewards/tips/verify', { body: { verify_id: vid, code: wrong } });
  assertErr(r, 401, 'BAD_CODE');
  assert.equal(r.json.error.tries_left, 4);
  r = await zx.api('POST', '/api/v1/portal/rewards/tips/verify', { body: { verify_id: vid, code: tipCode } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.seq, 1);
  assertErr(await zx.api('POST', '/api/v1/portal/rewards/tips/verify', { body: { verify_id: vid, code: tipCode } }), 410, 'CODE_EXPIRED');
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM reward_tip WHERE reward_id = ${rid} AND verified_ms IS NOT NULL`)[0].n), 1);
  // a second attempt with 5 wrong codes is dead; a phone gets at most 5 codes an hour
  r = await zx.api('POST', `/api/v1/portal/rewards/${rid}/tips`, { body: tipBody });
  assert.equal(r.status, 202, r.text);
  for (let i = 0; i < 4; i++) assertErr(await zx.api('POST', '/api/v1/portal/rewards/tips/verify', { body: { verify_id: r.json.verify_id, code: wrong } }), 401, 'BAD_CODE');
  assertErr(await zx.api('POST', '/api/v1/portal/rewards/tips/verify', { body: { verify_id: r.json.verify_id, code: wrong } }), 423, 'LOCKED');
  assertErr(await zx.api('POST', '/api/v1/portal/rewards/tips/verify', { body: { verify_id: r.json.verify_id, code: tipCode } }), 410, 'CODE_EXPIRED');
  for (let i = 0; i < 3; i++) assert.equal((await zx.api('POST', `/api/v1/portal/rewards/${rid}/tips`, { body: tipBody })).status, 202);
  assertErr(await zx.api('POST', `/api/v1/portal/rewards/${rid}/tips`, { body: tipBody }), 429, 'RATE_LIMITED');
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM reward_tip WHERE reward_id = ${rid}`)[0].n), 1, 'only the verified tip is registered');
  assert.equal(zx.sql(`SELECT COUNT(*) AS n FROM case_event WHERE case_id = ${c.id} AND kind = 'reward_tip' AND data LIKE '%李举报%'`)[0].n, 0, 'identity not in the case log');
  const tips = (await zx.api('GET', `/api/v1/portal-inbox/rewards/${rid}/tips`, { token: tok.judge })).json.tips;
  assert.equal(tips[0].name, '李举报');
  assert.match(tips[0].id_number, /\*{4}/);
  // money recovered through the tip arrives (SMS 到账 to the applicant), then the reward is paid out through the ledger
  const acct = (await zx.api('GET', `/api/v1/cases/${c.id}/account`, { token: tok.judge })).json.account_no;
  r = await zx.api('POST', '/api/v1/funds/arrivals', { token: tok.bank, body: { bank_ref: `P15-${c.id}`, account_no: acct, amount_fen: 3_000_000, payer_name: '某拍卖买受人', booked_on: daysAgo(0) } });
  assert.equal(r.status, 201, r.text);
  await smsTo('13900000171', 'funds_arrival');
  r = await zx.api('POST', `/api/v1/portal-inbox/tips/${tips[0].id}/assess`, { token: tok.judge, body: { useful: true, recovered_fen: 3_000_000, payee_bank: '某商业银行', payee_account: '6222020400099998888' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.reward_fen, 500_000);
  const p = zx.sql(`SELECT amount_fen, payee_name, status FROM fund_payout WHERE id = ${r.json.payout_id}`);
  assert.equal(Number(p[0].amount_fen), 500_000);
  assert.equal(p[0].payee_name, '李举报');
  const pend = zx.sql(`SELECT COUNT(*) AS n FROM fund_transfer WHERE case_id = ${c.id} AND code = 4 AND amount = 500000`);
  assert.equal(Number(pend[0].n), 1, 'a ledger transfer case → payee');
  assertErr(await zx.api('POST', `/api/v1/portal-inbox/tips/${tips[0].id}/assess`, { token: tok.judge, body: { useful: false } }), 409, 'ALREADY_ASSESSED');
  // the bank pays the tipster: the applicant is not told "paid to your account" (it was not), the case shows why
  const rp = zx.sql(`SELECT CAST(payout_id AS TEXT) AS id FROM reward_tip WHERE id = ${tips[0].id}`)[0].id;
  assert.equal((await zx.api('POST', `/api/v1/funds/payouts/${rp}/result`, { token: tok.finance, body: { ok: true, bank_ref: `RW-P15-${c.id}` } })).status, 200);
  const rn = zx.sql(`SELECT status, last_error FROM notify_outbox WHERE template = 'funds_payout' AND dedup_key LIKE 'funds_payout:${rp}:%'`);
  assert.deepEqual(rn.map((x) => [x.status, x.last_error]), [['suppressed', 'reward_payout']]);
  // the applicant's own money paid out (the bank confirms) → the "paid out" SMS (Done when; item 4)
  r = await zx.api('POST', `/api/v1/cases/${c.id}/payouts`, { token: tok.judge, body: { payee_name: '申请人', payee_bank: '某银行沈阳分行', payee_account: '6222020400011112222', amount_fen: 1_000_000 } });
  assert.equal(r.status, 201, r.text);
  r = await zx.api('POST', `/api/v1/funds/payouts/${r.json.id}/result`, { token: tok.finance, body: { ok: true, bank_ref: `OUT-P15-${c.id}` } });
  assert.equal(r.status, 200, r.text);
  const paid = await smsTo('13900000171', 'funds_payout');
  assert.match(paid[0].text, /10,000\.00元已于.*发放/);
  // … and the case account's movements show it, posted (the payout's reservation itself is not a movement)
  const mv = (await zx.api('GET', '/api/v1/portal/party/case', { cookie: app })).json.account_movements;
  assert.deepEqual(mv.filter((m) => m.label === '执行款发放').map((m) => [m.direction, m.amount_fen]), [['out', 1_000_000]]);
  assert.deepEqual(mv.filter((m) => /悬赏金/.test(m.label)).map((m) => [m.direction, m.amount_fen]), [['out', 500_000]]);
  assert.ok(mv.some((m) => m.label === '案款到账' && m.direction === 'in' && m.amount_fen === 3_000_000), JSON.stringify(mv));
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: app });
  assert.equal(r.json.rewards[0].status, 'approved');
  assert.equal(r.json.rewards[0].tips, 1);
  assert.ok(r.json.nodes.some((n) => n.kind === 'reward_published') && r.json.nodes.some((n) => n.kind === 'funds_arrival'));
});

test('lawyer: court confirms the representation, sign-in by licence number + SMS; 律师调查令 applied, issued as PDF, verified by the institution', async () => {
  const c = await fileCase('13900000181', '13900000182');
  const parties = (await zx.api('GET', `/api/v1/cases/${c.id}/portal-codes`, { token: tok.judge })).json.parties;
  const appParty = parties.find((p) => p.role === 'applicant').party_id;
  const LIC = '12101201910123456';
  const login = () => zx.api('POST', '/api/v1/portal/lawyer/login', { body: { case_no: c.case_no, licence_no: LIC } });
  assertErr(await login(), 401, 'BAD_LICENCE');
  assertErr(await zx.api('POST', `/api/v1/cases/${c.id}/lawyers`, { token: tok.judge, body: { party_id: appParty, name: '王律师', licence_no: '123', firm: '辽宁某律师事务所', phone: '13900000189' } }), 400, 'INVALID_LICENCE');
  let r = await zx.api('POST', `/api/v1/cases/${c.id}/lawyers`, { token: tok.judge, body: { party_id: appParty, name: '王律师', licence_no: LIC, firm: '辽宁某律师事务所', phone: '13900000189' } });
  assert.equal(r.status, 201, r.text);
  r = await login();
  assert.equal(r.status, 200, r.text);
  const { code } = await smsCode('13900000189');
  const v = await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: r.json.login_id, code } });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.lawyer, true);
  const law = `zx_portal=${/zx_portal=([0-9a-f]{64})/.exec(v.headers.get('set-cookie'))[1]}`;
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: law });
  assert.equal(r.json.lawyer.name, '王律师');
  assert.equal(r.json.me.role, 'applicant');
  r = await zx.api('POST', '/api/v1/portal/lawyer/orders', { cookie: law, body: { institution: '沈阳市某房产交易中心', scope: '被执行人名下不动产登记及交易记录', reason: '查明被执行人财产' } });
  assert.equal(r.status, 201, r.text);
  const oid = r.json.id;
  const party = await signIn(c, 'applicant', '13900000181');
  assertErr(await zx.api('POST', '/api/v1/portal/lawyer/orders', { cookie: party, body: { institution: 'x', scope: 'y', reason: 'z' } }), 403, 'LAWYER_ONLY');
  r = await zx.api('POST', `/api/v1/portal-inbox/orders/${oid}/decide`, { token: tok.judge, body: { issue: true, opinion: '调查事项与本案执行有关，准予签发。' } });
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.verify_code, /^[2-9A-HJKMNP-Z]{16}$/);
  const pdf = await zx.api('GET', `/api/v1/portal/lawyer/orders/${oid}/pdf`, { cookie: law });
  assert.equal(pdf.status, 200);
  assert.match(pdf.headers.get('content-type'), /application\/pdf/);
  let ok = await zx.api('GET', `/api/v1/portal/orders/verify?code=${r.json.verify_code.toLowerCase()}`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.valid, true);
  assert.equal(ok.json.case_no, c.case_no);
  assertErr(await zx.api('GET', '/api/v1/portal/orders/verify?code=AAAAAAAAAAAAAAAA'), 404, 'ORDER_NOT_FOUND');
  // revoking the representation ends the lawyer's session and invalidates the order
  const lid = (await zx.api('GET', `/api/v1/cases/${c.id}/lawyers`, { token: tok.judge })).json.lawyers[0].id;
  assert.equal((await zx.api('POST', `/api/v1/cases/${c.id}/lawyers/${lid}/revoke`, { token: tok.judge, body: {} })).status, 200);
  assertErr(await zx.api('GET', '/api/v1/portal/party/case', { cookie: law }), 401, 'PARTY_LOGIN_REQUIRED');
  ok = await zx.api('GET', `/api/v1/portal/orders/verify?code=${r.json.verify_code}`);
  assert.equal(ok.json.valid, false);
  assertErr(await login(), 401, 'BAD_LICENCE');
});

test('lawyer: one sign-in by licence number + SMS shows every case where a court confirmed the representation', async () => {
  const LIC = '12101201910654321';
  const a = await fileCase('13900000241', '13900000242');
  const b = await fileCase('13900000243', '13900000244');
  const other = await fileCase('13900000245', null);
  for (const c of [a, b]) {
    const pid = (await zx.api('GET', `/api/v1/cases/${c.id}/portal-codes`, { token: tok.judge })).json.parties.find((p) => p.role === 'applicant').party_id;
    const r = await zx.api('POST', `/api/v1/cases/${c.id}/lawyers`, { token: tok.judge, body: { party_id: pid, name: '赵律师', licence_no: LIC, firm: '辽宁某律师事务所', phone: '13900000249' } });
    assert.equal(r.status, 201, r.text);
  }
  assertErr(await zx.api('POST', '/api/v1/portal/lawyer/login', { body: { licence_no: '12101201919999999' } }), 401, 'BAD_LICENCE');
  const r = await zx.api('POST', '/api/v1/portal/lawyer/login', { body: { licence_no: LIC } }); // no 案号
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.phone, '139****0249');
  const sms = await smsTo('13900000249', 'portal_lawyer_otp');
  const code = /验证码：(\d{6})/.exec(sms[sms.length - 1].text)[1];
  const v = await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: r.json.login_id, code } });
  assert.equal(v.status, 200, v.text);
  assert.match(v.headers.get('set-cookie'), /Path=\/api\/v1\/portal;/);
  const law = `zx_portal=${/zx_portal=([0-9a-f]{64})/.exec(v.headers.get('set-cookie'))[1]}`;
  const list = await zx.api('GET', '/api/v1/portal/party/lawyer/cases', { cookie: law });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.cases.map((x) => x.case_no).sort(), [a.case_no, b.case_no].sort());
  assert.equal(list.json.cases.filter((x) => x.current).length, 1);
  for (const c of [a, b]) { // each case, one sign-in
    const sw = await zx.api('POST', '/api/v1/portal/party/lawyer/switch', { cookie: law, body: { case_id: String(c.id) } });
    assert.equal(sw.status, 200, sw.text);
    const mine = await zx.api('GET', '/api/v1/portal/party/case', { cookie: law });
    assert.equal(mine.status, 200, mine.text);
    assert.equal(mine.json.case_no, c.case_no);
    assert.equal(mine.json.lawyer.name, '赵律师');
  }
  assertErr(await zx.api('POST', '/api/v1/portal/party/lawyer/switch', { cookie: law, body: { case_id: String(other.id) } }), 404, 'NOT_FOUND');
  const party = await signIn(a, 'applicant', '13900000241');
  assertErr(await zx.api('GET', '/api/v1/portal/party/lawyer/cases', { cookie: party }), 403, 'LAWYER_ONLY');
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'portal.lawyer_switch'`)[0].n), 2);

  // the licence number locks as a staff account does: wrong one-time codes count across attempts …
  const LIC2 = '12101201910654322';
  const pid = (await zx.api('GET', `/api/v1/cases/${a.id}/portal-codes`, { token: tok.judge })).json.parties.find((p) => p.role === 'applicant').party_id;
  assert.equal((await zx.api('POST', `/api/v1/cases/${a.id}/lawyers`, { token: tok.judge, body: { party_id: pid, name: '钱律师', licence_no: LIC2, firm: '辽宁某律师事务所', phone: '13900000248' } })).status, 201);
  const llogin = (lic) => zx.api('POST', '/api/v1/portal/lawyer/login', { body: { licence_no: lic } });
  assertErr(await llogin('1210120191'), 400, 'INVALID_LICENCE');
  for (const tries of [3, 2]) {
    const x = await llogin(LIC2);
    assert.equal(x.status, 200, x.text);
    const got = await smsTo('13900000248', 'portal_lawyer_otp', tries === 3 ? 1 : 2);
    const right = /验证码：(\d{6})/.exec(got[got.length - 1].text)[1];
    for (let i = 0; i < tries; i++) {
      const y = await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: x.json.login_id, code: right === '000000' ? '111111' : '000000' } });
      assertErr(y, tries === 2 && i === 1 ? 423 : 401);
    }
  }
  let locked = await llogin(LIC2);
  assertErr(locked, 423, 'LOCKED');
  assert.match(locked.json.error.message, /执业证号/);
  // … and so do licence numbers no court confirmed (the address's rate limit aside)
  const GUESS = '12101201910000001';
  for (let i = 1; i <= 4; i++) {
    const x = await llogin(GUESS);
    assertErr(x, 401, 'BAD_LICENCE');
    assert.equal(x.json.error.tries_left, 5 - i);
  }
  assertErr(await llogin(GUESS), 423, 'LOCKED');
  assert.equal(Number(zx.sql(`SELECT failures FROM portal_licence_lock WHERE licence_no = '${GUESS}'`)[0].failures), 5);
  // the other lawyer's sign-in is not affected, and its success cleared its own count
  assert.equal(zx.sql(`SELECT COUNT(*) AS n FROM portal_licence_lock WHERE licence_no = '${LIC}'`)[0].n + '', '0');
  // the case's delivery status never shows a one-time code, the lawyer's included
  const sent = (await zx.api('GET', `/api/v1/cases/${a.id}/notifications`, { token: tok.judge })).json.notifications;
  assert.ok(sent.some((x) => x.template === 'portal_lawyer_otp'));
  assert.ok(sent.filter((x) => /_otp$/.test(x.template)).every((x) => !/\d{6}/.test(x.text)), JSON.stringify(sent.map((x) => x.text)));
});

test('a plain query run that finds property sends the applicant one "property found" SMS per run (not the debtor)', async () => {
  const c = await fileCase('13900000211', '13900000212');
  // the filing-day run (every simulated subject banks at ICBC: it finds a deposit)
  for (let i = 0; i < 300; i++) {
    if (zx.sql(`SELECT status FROM inquiry WHERE case_id = ${c.id} AND trigger_kind = 'filing'`)[0]?.status === 'done') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const runs = () => zx.sql(`SELECT seq, data FROM case_event WHERE case_id = ${c.id} AND kind = 'network_inquiry'`)
    .filter((e) => JSON.parse(e.data).result === 'found');
  assert.equal(runs().length, 1, 'the filing run found property');
  const rows = () => zx.sql(`SELECT dedup_key, params FROM notify_outbox WHERE case_id = ${c.id} AND template = 'portal_node'`)
    .filter((x) => JSON.parse(x.params).node === 'property');
  assert.equal(rows().length, 1, JSON.stringify(rows()));
  assert.match(JSON.parse(rows()[0].params).text, /发现被执行人名下财产/);
  // the filing node's SMS may reach the gateway first: wait for the property one itself (slow under ASan)
  let items = [];
  for (let i = 0; i < 100 && !items.some((m) => /发现被执行人名下财产/.test(m.text)); i++) {
    items = await smsTo('13900000211', 'portal_node');
    if (!items.some((m) => /发现被执行人名下财产/.test(m.text))) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(items.some((m) => /发现被执行人名下财产/.test(m.text)), 'delivered by the simulated gateway');
  assert.ok((await sim.api('GET', '/sms/v1/messages?to=13900000212')).json.items.every((m) => !/发现被执行人名下财产/.test(m.text)), 'not the debtor');
  // a second (manual) run: one more message, keyed by its own event — never two for one run
  const r = await zx.api('POST', `/api/v1/cases/${c.id}/inquiries`, { token: tok.judge, body: { kinds: ['deposit'] } });
  assert.equal(r.status, 202, r.text);
  for (let i = 0; i < 300 && runs().length < 2; i++) await new Promise((res) => setTimeout(res, 100));
  assert.equal(runs().length, 2);
  const keys = rows().map((x) => x.dedup_key);
  assert.equal(keys.length, 2);
  assert.equal(new Set(keys).size, 2);
  for (const e of runs()) assert.ok(keys.some((k) => k.includes(`:${e.seq}:`)), `one message for run event ${e.seq}`);
});

test('node SMS: per-court settings and the party\'s opt-out suppress node messages (shown on the case), never the one-time code', async () => {
  const c = await fileCase('13900000191', '13900000192');
  const app = await signIn(c, 'applicant', '13900000191');
  let r = await zx.api('PUT', '/api/v1/portal/party/notifications', { cookie: app, body: { opt_out: true } });
  assert.equal(r.status, 200, r.text);
  r = await zx.api('POST', `/api/v1/cases/${c.id}/actions/suspension_start`, { token: tok.judge, body: { type: 'suspension', reason: '案外人提出确有理由的异议' } });
  assert.equal(r.status, 200, r.text);
  let rows = zx.sql(`SELECT status, last_error, params FROM notify_outbox WHERE case_id = ${c.id} AND template = 'portal_node' AND params LIKE '%suspension%'`);
  assert.equal(rows.length, 2, JSON.stringify(rows));
  assert.deepEqual(rows.map((x) => x.status === 'suppressed' ? x.last_error : 'send').sort(), ['opted_out', 'send']);
  // the chief switches the suspension node off for the court
  assertErr(await zx.api('PUT', '/api/v1/portal-settings', { token: tok.judge, body: { sms_nodes: [] } }), 403);
  assertErr(await zx.api('PUT', '/api/v1/portal-settings', { token: tok.chief, body: { sms_nodes: ['nope'] } }), 400);
  const all = (await zx.api('GET', '/api/v1/portal-settings', { token: tok.chief })).json;
  r = await zx.api('PUT', '/api/v1/portal-settings', { token: tok.chief, body: { sms_nodes: all.sms_nodes.filter((x) => x !== 'suspension'), reply_days: 2 } });
  assert.equal(r.status, 200, r.text);
  assert.ok(!r.json.sms_nodes.includes('suspension') && r.json.reply_days === 2);
  r = await zx.api('POST', `/api/v1/cases/${c.id}/actions/suspension_end`, { token: tok.judge, body: {} });
  assert.equal(r.status, 200, r.text);
  rows = zx.sql(`SELECT status, last_error FROM notify_outbox WHERE case_id = ${c.id} AND template = 'portal_node' AND params LIKE '%恢复办理%'`);
  assert.ok(rows.length === 2 && rows.every((x) => x.status === 'suppressed'), JSON.stringify(rows));
  const list = (await zx.api('GET', `/api/v1/cases/${c.id}/notifications`, { token: tok.judge })).json.notifications;
  assert.ok(list.some((x) => x.status === 'suppressed'));
  // the one-time code still goes out after the opt-out
  await signIn(c, 'applicant', '13900000191');
  r = await zx.api('PUT', '/api/v1/portal-settings', { token: tok.chief, body: { sms_nodes: all.sms_nodes, reply_days: 3 } });
  assert.equal(r.status, 200);
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: app });
  assert.equal(r.json.sms_opted_out, true);
  assert.ok(r.json.nodes.some((n) => n.kind === 'suspension_start') && r.json.nodes.some((n) => n.kind === 'suspension_end'));

  // the court's contact for parties (the chief's setting) is the handler's contact on "my case"
  assertErr(await zx.api('PUT', '/api/v1/portal-settings', { token: tok.chief, body: { sms_nodes: all.sms_nodes, contact_phone: '请打电话' } }), 400, 'VALIDATION_FAILED');
  r = await zx.api('PUT', '/api/v1/portal-settings', { token: tok.chief, body: { sms_nodes: all.sms_nodes, contact_phone: '024-22851234转8012', contact_note: '工作日 9:00–17:00' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.reply_days, 3, 'keys left out keep their value');
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: app });
  assert.deepEqual([r.json.handler.phone, r.json.handler.hours], ['024-22851234转8012', '工作日 9:00–17:00']);

  // property controlled: the node names the measure and the amount, never the account; a new control sends
  // the "property" SMS, a release does not
  for (const body of [{ measure: 'freeze', target: '工商银行 6222020400055556666 存款', amount_fen: 1_234_500 }]) {
    r = await zx.api('POST', `/api/v1/cases/${c.id}/actions/control_measure`, { token: tok.judge, body });
    assert.equal(r.status, 200, r.text);
  }
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: app });
  const ctl = r.json.nodes.find((n) => n.kind === 'control_measure');
  assert.equal(ctl.label, '冻结财产');
  assert.match(ctl.detail, /12,345\.00/);
  assert.ok(!r.text.includes('6222020400055556666'), 'the account stays inside the court');
  // (the filing-day 查控 may have frozen a deposit by itself: this control's own message, by its event)
  const mine = zx.sql(`SELECT seq FROM case_event WHERE case_id = ${c.id} AND kind = 'control_measure' AND data LIKE '%1234500%'`)[0].seq;
  assert.equal(zx.sql(`SELECT COUNT(*) AS n FROM notify_outbox WHERE case_id = ${c.id} AND template = 'portal_node'
    AND dedup_key LIKE 'node:${c.id}:${mine}:%' AND params LIKE '%控制措施%'`)[0].n + '', '1');
});

test('SMS gateway down: node messages stay queued with the reason and are delivered once when it is back', async () => {
  assert.equal((await sim.api('PUT', '/sim/v1/options', { 'sms.fail': '1' })).status, 200);
  let c;
  try {
    c = await fileCase('13900000201', '13900000202');
    let rows = [];
    for (let i = 0; i < 100; i++) {
      // filing and assignment (the filing-day 查控 may add a property-found node for the applicant)
      rows = zx.sql(`SELECT status, attempts, last_error FROM notify_outbox WHERE case_id = ${c.id} AND template = 'portal_node'
        AND params NOT LIKE '%"node":"property"%'`);
      if (rows.length === 4 && rows.every((x) => Number(x.attempts) >= 1)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(rows.length === 4 && rows.every((x) => x.status === 'queued' && Number(x.attempts) >= 1 && /503/.test(x.last_error)), JSON.stringify(rows));
  } finally {
    assert.equal((await sim.api('PUT', '/sim/v1/options', { 'sms.fail': '0' })).status, 200);
  }
  for (let i = 0; ; i++) { // skip the 30 s back-off (the server may hold SQLite's write lock for a moment)
    try { zx.exec(`UPDATE notify_outbox SET next_at_ms = 0 WHERE case_id = ${c.id} AND status = 'queued'`); break; } catch (e) {
      if (i >= 50 || !/locked|busy/i.test(String(e.message))) throw e;
      await new Promise((res) => setTimeout(res, 100));
    }
  }
  const got = await smsTo('13900000201', 'portal_node', 2);
  await new Promise((res) => setTimeout(res, 1500));
  const nodeSms = (items) => items.filter((m) => m.template === 'portal_node' && !/发现被执行人名下财产/.test(m.text));
  assert.equal(nodeSms((await sim.api('GET', '/sms/v1/messages?to=13900000201')).json.items).length, 2, 'each node once');
  assert.ok(nodeSms(got).length <= 2);
  const st = zx.sql(`SELECT status FROM notify_outbox WHERE case_id = ${c.id} AND template = 'portal_node' AND params NOT LIKE '%"node":"property"%'`);
  assert.ok(st.every((x) => x.status === 'sent'), JSON.stringify(st));
});


// issue 15 item 10 (cut to CI size; bench/80-portal.sh measures the page's p95 with it): a party's view
// of "my case" answers only after its audit record has committed (group commit, src/portal/viewlog.c),
// so a kill -9 in the middle of a burst of views loses none that was answered.
test('party views: every answered view has its audit record, even across a kill -9 mid-burst', async () => {
  const c = await fileCase('13900000231', null);
  const app = await signIn(c, 'applicant', '13900000231');
  const answered = [];
  let done = 0;
  const one = () => zx.api('GET', '/api/v1/portal/party/case', { cookie: app }).then((r) => {
    done++;
    if (r.status === 200) answered.push(r.headers.get('x-request-id'));
    return r.status;
  }, () => { done++; return 0; });
  const burst = [];
  for (let i = 0; i < 60; i++) burst.push(one());
  while (done < 15) await new Promise((res) => setTimeout(res, 2));
  await zx.restart(null, { kill: 'SIGKILL' }); // while views are still in flight
  await Promise.all(burst);
  assert.ok(answered.length >= 15, `answered before the kill: ${answered.length}`);
  assert.ok(answered.every((x) => /^[0-9a-f-]{8,}$/i.test(x || '')), 'each answer names its request');
  const ids = answered.map((x) => `'${x}'`).join(',');
  const rows = zx.sql(`SELECT request_id FROM audit_log WHERE action = 'portal.view' AND request_id IN (${ids})`);
  assert.equal(new Set(rows.map((x) => x.request_id)).size, answered.length, 'no answered view without its audit record');
  // and the chain is whole after the crash
  const v = zx.cli(['audit', 'verify']);
  assert.equal(v.code, 0, v.stdout + v.stderr);
});
