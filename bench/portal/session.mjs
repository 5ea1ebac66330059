// bench/portal/session.mjs — a signed-in party for bench/80-portal.sh, made the real way: a filing clerk
// files a case (applicant with a phone), a judge takes it and reads the query code, the applicant signs in
// with 案号 + query code and the one-time code the simulated SMS gateway received. Prints
// "COOKIE=zx_portal=…", "CASE=<id>" and "TOKEN=<judge token>" lines.
// env: ZX_BASE, SIM_URL, ZX_DEMO_PASSWORD.
import { idNumber } from '../../tests/api/ids.mjs';

const base = process.env.ZX_BASE, sim = process.env.SIM_URL, pw = process.env.ZX_DEMO_PASSWORD;
async function call(method, path, { token, body, cookie } = {}, url = base) {
  const h = { 'content-type': 'application/json' };
  if (token) h.authorization = `Bearer ${token}`;
  if (cookie) h.cookie = cookie;
  const r = await fetch(url + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${text.slice(0, 200)}`);
  return { json: text ? JSON.parse(text) : null, headers: r.headers };
}
const login = async (u) => (await call('POST', '/api/v1/auth/login', { body: { username: u, password: pw } })).json.token;
const d = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);
const clerk = await login('demo_filing_clerk_liao0102'), judge = await login('demo_judge_liao0102');
const me = (await call('GET', '/api/v1/me', { token: judge })).json;
const phone = '13900009901';
const k = (await call('POST', '/api/v1/cases', { token: clerk, body: {
  type_code: '执', applied_on: d(1), claim_fen: 8_000_000,
  basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初9901号', effective_on: d(60) },
  conditions: { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true },
  parties: [
    { role: 'applicant', kind: 'person', name: '基准申请人', id_number: idNumber('210102', '19820315', 991), phone },
    { role: 'debtor', kind: 'person', name: '基准被执行人', id_number: idNumber('210103', '19751104', 992), phone: '13900009902' },
  ] } })).json;
await call('PUT', `/api/v1/cases/${k.id}/assignment`, { token: clerk, body: { handler_id: String((me.user || me).id) } });
const code = (await call('GET', `/api/v1/cases/${k.id}/portal-codes`, { token: judge })).json.parties.find((p) => p.role === 'applicant').query_code;
const l = (await call('POST', '/api/v1/portal/party/login', { body: { case_no: k.case_no, query_code: code } })).json;
let otp = null;
for (let i = 0; i < 200 && !otp; i++) {
  const items = (await call('GET', `/sms/v1/messages?to=${phone}`, {}, sim)).json.items.filter((m) => m.template === 'portal_otp');
  if (items.length) otp = /验证码：(\d{6})/.exec(items[items.length - 1].text)[1];
  else await new Promise((r) => setTimeout(r, 100));
}
if (!otp) throw new Error('no one-time code at the simulated gateway');
const v = await call('POST', '/api/v1/portal/party/verify', { body: { login_id: l.login_id, code: otp } });
console.log(`COOKIE=zx_portal=${/zx_portal=([0-9a-f]{64})/.exec(v.headers.get('set-cookie'))[1]}`);
console.log(`CASE=${k.id}`);
console.log(`TOKEN=${judge}`);
