// Party portal (issue 15 items 1–2; docs/api/portal.md): sign-in with 案号 + query code + SMS one-time
// code through the notify outbox and the simulated gateway, lockouts, "my case" for the applicant and
// the debtor, one case per session, every view audited. Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
  zx = await startServer({ env: { ZX_SIM_URL: sim.url, ZX_PUBLIC_RATE_PER_MIN: '1000' } });
  for (const [k, u] of Object.entries({ clerk: 'demo_filing_clerk_liao0102', judge: 'demo_judge_liao0102', other: 'demo_judge_liao0103' }))
    tok[k] = await zx.login(u, PASSWORDS.demo);
  tok.judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
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

  const debt = await signIn(c, 'debtor', '13900000152');
  r = await zx.api('GET', '/api/v1/portal/party/case', { cookie: debt });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.me.role, 'debtor');
  // 100 days since the basis took effect: 10,000,000 fen × 0.000175 × 100 = 175,000 fen (迟延履行利息解释 art 1)
  assert.equal(r.json.owed.principal_fen, 10_000_000);
  assert.equal(r.json.owed.interest_days, 100);
  assert.equal(r.json.owed.delay_interest_fen, 175_000);
  assert.equal(r.json.owed.total_fen, 10_175_000);
  assert.match(r.json.pay_to.account_no, /^95\d{16}$/);
  assert.equal(r.json.account_movements, undefined, 'the debtor does not see the account movements');

  // a party session names its own case only: another case's document is not found
  const docs = await zx.api('GET', `/api/v1/cases/${other.id}/documents`, { token: tok.judge });
  if (docs.status === 200 && (docs.json.documents || docs.json.items || []).length) {
    const d = (docs.json.documents || docs.json.items)[0];
    assertErr(await zx.api('GET', `/api/v1/portal/party/documents/${d.id}`, { cookie: debt }), 404, 'NOT_FOUND');
  }
  assertErr(await zx.api('GET', '/api/v1/portal/party/documents/1', { cookie: debt }), 404, 'NOT_FOUND');
  assertErr(await zx.api('GET', '/api/v1/portal/party/documents/abc', { cookie: debt }), 400);

  // every sign-in step and view is audited
  const a = zx.sql(`SELECT action, result FROM audit_log WHERE object_id = '${c.id}' AND action LIKE 'portal.%'`);
  assert.ok(a.filter((x) => x.action === 'portal.view').length >= 2, JSON.stringify(a));
  assert.ok(a.filter((x) => x.action === 'portal.login' && x.result === 'ok').length >= 4);
  // codes stored only as hashes
  const rows = zx.sql(`SELECT otp_hash FROM portal_login WHERE case_id = ${c.id}`);
  assert.ok(rows.length >= 2 && rows.every((x) => /^[0-9a-f]{64}$/.test(x.otp_hash)));

  // node notifications (item 4): filed + assigned, once per party with a phone, delivered by the sender
  const nodes = zx.sql(`SELECT dedup_key FROM notify_outbox WHERE case_id = ${c.id} AND template = 'portal_node'`);
  assert.equal(nodes.length, 4, JSON.stringify(nodes));
  let list;
  for (let i = 0; i < 80; i++) {
    list = (await zx.api('GET', `/api/v1/cases/${c.id}/notifications`, { token: tok.judge })).json.notifications;
    if (list.filter((x) => x.template === 'portal_node').every((x) => x.status === 'sent')) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const pn = list.filter((x) => x.template === 'portal_node');
  assert.equal(pn.length, 4);
  assert.ok(pn.every((x) => x.status === 'sent' && /^139\*{4}\d{4}$/.test(x.to) && /立案执行|承办法官/.test(x.text)), JSON.stringify(pn));
  assert.ok(list.filter((x) => x.template === 'portal_otp').every((x) => !/\d{6}/.test(x.text)), 'one-time codes not shown');
  const smsApp = (await sim.api('GET', '/sms/v1/messages?to=13900000151')).json.items.filter((m) => m.template === 'portal_node');
  assert.equal(smsApp.length, 2, 'each node once');
  assert.ok([403, 404].includes((await zx.api('GET', `/api/v1/cases/${c.id}/notifications`, { token: tok.other })).status));

  // logout ends the session
  r = await zx.api('POST', '/api/v1/portal/party/logout', { cookie: app, body: {} });
  assert.equal(r.status, 200, r.text);
  assertErr(await zx.api('GET', '/api/v1/portal/party/case', { cookie: app }), 401, 'PARTY_LOGIN_REQUIRED');
});

test('wrong query code: 5 → case locked; wrong one-time code: 5 → attempt dead; no phone; bad input', async () => {
  const c = await fileCase('13900000155', null);
  const login = (q, no = c.case_no) => zx.api('POST', '/api/v1/portal/party/login', { body: { case_no: no, query_code: q } });
  // unknown case answers like a wrong code
  assertErr(await login('ABCDEFGH', '（2099）辽0102执99999号'), 401, 'BAD_QUERY_CODE');
  assertErr(await zx.api('POST', '/api/v1/portal/party/login', { body: {} }), 400, 'BAD_REQUEST');
  assertErr(await zx.api('POST', '/api/v1/portal/party/login', { body: 'not json' }), 400);
  // the debtor has no phone on file
  assertErr(await login(c.codes.debtor), 409, 'NO_PHONE');
  // one-time code: 5 wrong tries kill the attempt, even the right code is refused afterwards
  let r = await login(c.codes.applicant);
  assert.equal(r.status, 200, r.text);
  const { code } = await smsCode('13900000155');
  const wrong = code === '000000' ? '111111' : '000000';
  for (let i = 1; i <= 4; i++) {
    const v = await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: r.json.login_id, code: wrong } });
    assertErr(v, 401, 'BAD_CODE');
    assert.equal(v.json.error.tries_left, 5 - i);
  }
  assertErr(await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: r.json.login_id, code: wrong } }), 423, 'LOCKED');
  assertErr(await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: r.json.login_id, code } }), 410, 'CODE_EXPIRED');
  assertErr(await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: '12345', code } }), 404, 'LOGIN_NOT_FOUND');
  // query code: 5 wrong → locked, the right code is refused while locked
  for (let i = 1; i <= 4; i++) {
    const x = await login('WRONG' + i);
    assertErr(x, 401, 'BAD_QUERY_CODE');
    assert.equal(x.json.error.tries_left, 5 - i);
  }
  assertErr(await login('WRONG5'), 423, 'LOCKED');
  r = await login(c.codes.applicant);
  assertErr(r, 423, 'LOCKED');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  const f = zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE object_id = '${c.id}' AND action = 'portal.login' AND result = 'failed'`);
  assert.ok(Number(f[0].n) >= 10);
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

test('open statistics per court and month: JSON and CSV, aggregates only', async () => {
  const year = daysAgo(0).slice(0, 4), month = daysAgo(0).slice(0, 7);
  const r = await zx.api('GET', `/api/v1/portal/stats?year=${year}`);
  assert.equal(r.status, 200, r.text);
  const row = r.json.rows.find((x) => x.court === '沈阳市和平区人民法院' && x.month === month);
  assert.ok(row && row.received >= seq, JSON.stringify(r.json.rows.slice(0, 3)));
  assert.deepEqual(Object.keys(row).sort(), ['closed', 'court', 'month', 'received', 'recovered_fen']);
  const csv = await zx.api('GET', `/api/v1/portal/stats?year=${year}&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /法院,月份,收案数,结案数/);
  assert.ok(csv.text.includes(`沈阳市和平区人民法院,${month},${row.received},`));
  assertErr(await zx.api('GET', '/api/v1/portal/stats?year=abc'), 400);
  assertErr(await zx.api('GET', '/api/v1/portal/stats?format=xml'), 400, 'BAD_FORMAT');
});
