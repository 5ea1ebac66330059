// totp.test.mjs — second factor (issue 10 item 12, src/account/totp.h): RFC 6238 TOTP for the three
// administrators and chiefs when totp_required = 1: enrolment with a QR code and recovery codes,
// nothing else reachable before enrolling, TOTP_REQUIRED / TOTP_INVALID at login, codes single-use,
// recovery codes single-use, business roles unaffected, the secret sealed at rest, reset only by CLI,
// and the harness logging administrators in transparently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORDS, totpCode } from './lib.mjs';

let zx;
const CHIEF = 'demo_chief_liao0102';
let secret, recovery;

before(async () => { zx = await startServer({ serveEnv: { ZX_TOTP_REQUIRED: '1' } }); });
after(async () => { await zx?.stop(); });

const login = (username, extra = {}) => zx.api('POST', '/api/v1/auth/login', { body: { username, password: PASSWORDS.demo, ...extra } });
const step = () => Math.floor(Date.now() / 30000);

test('a chief who has not enrolled gets a session that reaches only the enrolment (QR code, recovery codes)', async () => {
  const r = await login(CHIEF);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.totp_enrolment_required, true);
  const token = r.json.token;
  const blocked = await zx.api('GET', '/api/v1/cases', { token });
  assert.equal(blocked.status, 403);
  assert.equal(blocked.json.error.code, 'TOTP_ENROLMENT_REQUIRED');
  const me = await zx.api('GET', '/api/v1/me', { token });
  assert.equal(me.status, 200);
  assert.equal(me.json.totp_enrolment_required, true);
  const st = await zx.api('GET', '/api/v1/auth/totp', { token });
  assert.deepEqual([st.json.required, st.json.enrolled], [true, false]);

  const e = await zx.api('POST', '/api/v1/auth/totp/enrol', { token });
  assert.equal(e.status, 200, e.text);
  assert.match(e.json.secret, /^[A-Z2-7]{32}$/);
  assert.equal(e.json.otpauth_uri, `otpauth://totp/zhixing:${CHIEF}?secret=${e.json.secret}&issuer=zhixing&algorithm=SHA1&digits=6&period=30`);
  assert.match(e.json.qr_svg, /^<svg [^>]*viewBox="0 0 \d+ \d+".*<path fill="#000" d="M\d+ \d+h1v1h-1z/s);
  assert.match(e.headers.get('cache-control'), /no-store/);
  secret = e.json.secret;
  // the secret is sealed at rest (core/pii), never in clear in the store
  const row = zx.sql(`SELECT secret_enc FROM user_totp t JOIN app_user u ON u.id = t.user_id WHERE u.username = '${CHIEF}'`)[0];
  assert.ok(row && !String(row.secret_enc).includes(secret));

  const wrong = await zx.api('POST', '/api/v1/auth/totp/confirm', { token, body: { code: totpCode(secret, Date.now() - 300000) } });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.error.code, 'TOTP_INVALID');
  const ok = await zx.api('POST', '/api/v1/auth/totp/confirm', { token, body: { code: totpCode(secret) } });
  assert.equal(ok.status, 200, ok.text);
  recovery = ok.json.recovery_codes;
  assert.equal(recovery.length, 10);
  assert.equal(new Set(recovery).size, 10);
  for (const c of recovery) assert.match(c, /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
  zx.totpRemember(CHIEF, secret);
  // the same session now works
  const now = await zx.api('GET', '/api/v1/cases', { token });
  assert.equal(now.status, 200, now.text);
  const audit = zx.sql(`SELECT action FROM audit_log WHERE action LIKE 'auth.totp.%' ORDER BY seq`).map((x) => x.action);
  assert.ok(audit.includes('auth.totp.enrol_start') && audit.includes('auth.totp.enrol'));
  // enrolling again is refused (a lost device is reset on the server)
  const again = await zx.api('POST', '/api/v1/auth/totp/enrol', { token });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'TOTP_ALREADY_ENROLLED');
});

test('login: password alone → TOTP_REQUIRED; wrong or replayed code → TOTP_INVALID; a fresh code → a session', async () => {
  const none = await login(CHIEF);
  assert.equal(none.status, 401);
  assert.equal(none.json.error.code, 'TOTP_REQUIRED');
  assert.equal(none.json.token, undefined);
  const bad = await login(CHIEF, { totp: totpCode(secret, Date.now() - 600000) });
  assert.equal(bad.status, 401);
  assert.equal(bad.json.error.code, 'TOTP_INVALID');
  // the harness computes the code like an authenticator app
  const token = await zx.login(CHIEF, PASSWORDS.demo);
  assert.equal((await zx.api('GET', '/api/v1/cases', { token })).status, 200);
  // the code just used (or an older one) cannot be used again
  const replay = await login(CHIEF, { totp: totpCode(secret, step() * 30000) });
  assert.equal(replay.status, 401);
  assert.equal(replay.json.error.code, 'TOTP_INVALID');
  assert.ok(Number(zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'auth.login' AND result = 'failed' AND detail LIKE '%second factor%'`)[0].n) >= 2);
});

test('a recovery code logs in once', async () => {
  const r = await login(CHIEF, { recovery_code: recovery[0].toLowerCase() });
  assert.equal(r.status, 200, r.text);
  const again = await login(CHIEF, { recovery_code: recovery[0] });
  assert.equal(again.status, 401);
  assert.equal(again.json.error.code, 'TOTP_INVALID');
  const st = await zx.api('GET', '/api/v1/auth/totp', { token: r.json.token });
  assert.equal(st.json.recovery_codes_left, 9);
});

test('business roles are not asked; administrators log in through the harness transparently', async () => {
  const j = await login('demo_judge_liao0102');
  assert.equal(j.status, 200, j.text);
  assert.equal(j.json.user.totp_enrolment_required, false);
  const { username, password } = zx.creds.secadmin;
  const t1 = await zx.login(username, password); // enrols transparently
  assert.ok(zx.totpSecret(username));
  const t2 = await zx.login(username, password); // the next code
  for (const token of [t1, t2]) assert.equal((await zx.api('GET', '/api/v1/me', { token })).status, 200);
});

test('a lost device: only the server CLI resets the factor (audited); the user enrols again', async () => {
  const r = zx.cli(['totp', 'reset', '--username', CHIEF]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'auth.totp.reset'`)[0].n), 1);
  const l = await login(CHIEF);
  assert.equal(l.status, 200, l.text);
  assert.equal(l.json.user.totp_enrolment_required, true);
  assert.equal(zx.cli(['totp', 'reset', '--username', 'nobody_here']).code, 1);
});
