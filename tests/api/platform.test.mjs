// platform.test.mjs — issue 3's contract checked from outside: server, auth, errors, static files,
// metrics, OpenAPI, audit chain, court scoping, graceful shutdown. Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, cookieOf, setCookies, ROLE, ROOT } from './lib.mjs';

let zx;
const seen = []; // every response, for the x-request-id check
async function api(method, p, opts) {
  const r = await zx.api(method, p, opts);
  seen.push({ method, p, status: r.status, rid: r.headers.get('x-request-id') });
  return r;
}
function assertError(r, status, code) {
  assert.equal(r.status, status, `${status} expected, got ${r.status}: ${r.text}`);
  assert.ok(r.json && typeof r.json.error === 'object', `error body expected: ${r.text}`);
  assert.equal(typeof r.json.error.message, 'string', `error.message: ${r.text}`);
  assert.ok(r.json.error.message.length > 0, 'error.message is empty');
  assert.match(r.json.error.code, /^[A-Z][A-Z0-9_]*$/, `error.code UPPER_SNAKE: ${r.text}`);
  if (code) assert.equal(r.json.error.code, code, r.text);
}
// A raw HTTP/1.1 request, so the path reaches the server exactly as written (fetch normalises '..').
function rawGet(p) {
  return new Promise((resolve, reject) => {
    const s = net.connect(zx.port, '127.0.0.1', () => {
      s.write(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    s.setEncoding('latin1');
    s.on('data', (d) => { data += d; });
    s.on('end', () => resolve({ status: Number(data.split(' ')[1]), text: data }));
    s.on('error', reject);
    s.setTimeout(5000, () => { s.destroy(); reject(new Error('timeout')); });
  });
}
// A demo staff user (not an administrator) of the given court holding roleBit.
function demoUser(roleBit, court) {
  const u = zx.users().find((x) => Number(x.is_demo) && (Number(x.roles) & roleBit) && (!court || x.court_code === court));
  assert.ok(u, `demo data has no user with role 0x${roleBit.toString(16)}${court ? ' in ' + court : ''}`);
  return u;
}

before(async () => { zx = await startServer(); });
after(async () => { await zx?.stop(); });

test('GET /healthz → 200 {"status":"ok"}', async () => {
  const r = await api('GET', '/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok' });
  assert.match(r.headers.get('content-type') || '', /application\/json/);
});

test('demo data has the Liaoning courts and the three administrators', () => {
  const courts = zx.sql('SELECT code FROM court').map((c) => c.code);
  for (const c of ['辽', '辽01', '辽0102', '辽0103', '辽11', '辽1103', '辽1104']) assert.ok(courts.includes(c), `court ${c} missing`);
  const users = zx.users();
  for (const bit of [ROLE.sysadmin, ROLE.secadmin, ROLE.auditor]) {
    assert.ok(users.some((u) => Number(u.roles) & bit), `no user with role 0x${bit.toString(16)}`);
  }
  // 三员 are mutually exclusive.
  for (const u of users) {
    const admins = Number(u.roles) & (ROLE.sysadmin | ROLE.secadmin | ROLE.auditor);
    assert.ok((admins & (admins - 1)) === 0, `${u.username} holds more than one administrator role`);
  }
  // Stored hashed: no password appears in the store.
  const pw = zx.sql('SELECT pw_hash, pw_salt, pw_iter FROM app_user');
  for (const p of pw) {
    assert.ok(Number(p.pw_iter) >= 100000, 'PBKDF2 iterations ≥ 100000');
    assert.match(p.pw_salt, /^[0-9a-f]{32,}$/i, '128-bit salt');
    assert.ok(!Object.values(zx.creds).some((c) => c && p.pw_hash.includes(c.password)));
  }
});

test('login → 200 token + user + HttpOnly SameSite=Strict cookie', async () => {
  const { username, password } = zx.creds.sysadmin;
  const r = await api('POST', '/api/v1/auth/login', { body: { username, password } });
  assert.equal(r.status, 200, r.text);
  assert.equal(typeof r.json.token, 'string');
  assert.ok(r.json.token.length >= 43, 'token carries ≥ 256 bits');
  assert.equal(typeof r.json.user, 'object');
  assert.equal(r.json.user.username, username);
  const cookies = setCookies(r.headers);
  const sess = cookies.find((c) => /^zx_session=/.test(c));
  assert.ok(sess, `zx_session cookie expected, got ${JSON.stringify(cookies)}`);
  assert.match(sess, /;\s*HttpOnly/i);
  assert.match(sess, /;\s*SameSite=Strict/i);
  assert.match(sess, /;\s*Path=\//i);
  // The session token is stored hashed only.
  const rows = zx.sql('SELECT token_hash FROM session');
  assert.ok(rows.length >= 1);
  assert.ok(!rows.some((x) => x.token_hash === r.json.token), 'token stored in clear');
});

test('bad password and unknown user → same 401 BAD_CREDENTIALS', async () => {
  const { username } = zx.creds.auditor;
  const a = await api('POST', '/api/v1/auth/login', { body: { username, password: 'Wrong-Pass#1' } });
  const b = await api('POST', '/api/v1/auth/login', { body: { username: 'no_such_user_x', password: 'Wrong-Pass#1' } });
  assertError(a, 401, 'BAD_CREDENTIALS');
  assertError(b, 401, 'BAD_CREDENTIALS');
  assert.equal(a.json.error.message, b.json.error.message, 'same message for both');
  assert.equal(a.text, b.text, 'identical bodies');
  // A successful login afterwards resets the counter for the next test's purposes.
  await zx.login(username, zx.creds.auditor.password);
});

test('5 failures → 423 ACCOUNT_LOCKED even with the right password; secadmin unlock restores login', async () => {
  const u = demoUser(ROLE.judge);
  for (let i = 1; i <= 5; i++) {
    const r = await api('POST', '/api/v1/auth/login', { body: { username: u.username, password: `Bad-Pass#${i}x` } });
    if (i < 5) assertError(r, 401, 'BAD_CREDENTIALS');
    else assert.ok([401, 423].includes(r.status), `5th failure: ${r.status} ${r.text}`);
  }
  const locked = await api('POST', '/api/v1/auth/login', { body: { username: u.username, password: zx.creds.demoPassword } });
  assertError(locked, 423, 'ACCOUNT_LOCKED');

  // A non-security administrator may not unlock.
  const sys = await zx.login(zx.creds.sysadmin.username, zx.creds.sysadmin.password);
  const denied = await api('POST', `/api/v1/users/${u.id}/unlock`, { token: sys, body: {} });
  assert.equal(denied.status, 403, `sysadmin unlock should be 403: ${denied.status} ${denied.text}`);

  const sec = await zx.login(zx.creds.secadmin.username, zx.creds.secadmin.password);
  const un = await api('POST', `/api/v1/users/${u.id}/unlock`, { token: sec, body: {} });
  assert.ok(un.status === 200 || un.status === 204, `unlock: ${un.status} ${un.text}`);
  const again = await api('POST', '/api/v1/auth/login', { body: { username: u.username, password: zx.creds.demoPassword } });
  assert.equal(again.status, 200, again.text);
  // Both the failures and the unlock are in the audit trail.
  const acts = zx.sql(`SELECT action, result FROM audit_log WHERE object_id = '${u.id}' OR username = '${u.username}'`);
  assert.ok(acts.some((a) => /unlock/.test(a.action)), `unlock audited: ${JSON.stringify(acts)}`);
  assert.ok(acts.some((a) => /login/.test(a.action) && a.result !== 'ok'), 'failed login audited');
});

test('GET /api/v1/me with Bearer → 200, without → 401 UNAUTHENTICATED', async () => {
  const u = demoUser(ROLE.judge, '辽0102');
  const token = await zx.login(u.username, zx.creds.demoPassword);
  const r = await api('GET', '/api/v1/me', { token });
  assert.equal(r.status, 200, r.text);
  const me = r.json.user ?? r.json;
  assert.equal(me.username, u.username);
  assert.ok(JSON.stringify(r.json).includes('辽0102'), `court in /me: ${r.text}`);
  assertError(await api('GET', '/api/v1/me'), 401, 'UNAUTHENTICATED');
  assertError(await api('GET', '/api/v1/me', { token: 'ab'.repeat(32) }), 401, 'UNAUTHENTICATED');
});

test('64-bit ids survive JSON.parse (strings or safe integers) in /me and /users', async () => {
  const u = demoUser(ROLE.judge, '辽0102');
  const token = await zx.login(u.username, zx.creds.demoPassword);
  for (const p of ['/api/v1/me', '/api/v1/users']) {
    const r = await api('GET', p, { token });
    assert.equal(r.status, 200, r.text);
    const unsafe = [...r.text.matchAll(/"id"\s*:\s*(\d+)/g)].map((m) => m[1]).filter((d) => !Number.isSafeInteger(Number(d)));
    assert.deepEqual(unsafe, [], `${p}: ids beyond 2^53 as JSON numbers lose precision in the browser; send them as strings`);
  }
});

test('cookie session: GET works, unsafe method needs X-CSRF-Token (403 without)', async () => {
  const { username, password } = zx.creds.auditor;
  const r = await api('POST', '/api/v1/auth/login', { body: { username, password } });
  assert.equal(r.status, 200, r.text);
  const sess = cookieOf(r.headers, 'zx_session');
  assert.ok(sess, 'zx_session cookie');
  const cookie = setCookies(r.headers).map((c) => c.split(';')[0]).join('; ');
  const me = await api('GET', '/api/v1/me', { cookie });
  assert.equal(me.status, 200, `GET with cookie: ${me.text}`);
  const noCsrf = await api('POST', '/api/v1/auth/logout', { cookie, body: {} });
  assertError(noCsrf, 403);
  const bad = await api('POST', '/api/v1/auth/logout', { cookie, body: {}, headers: { 'x-csrf-token': 'nope' } });
  assertError(bad, 403);
  const csrf = r.json.csrf_token ?? r.json.csrf ?? cookieOf(r.headers, 'zx_csrf') ?? me.json?.csrf_token;
  assert.ok(csrf, `the login response or /me must give the UI its CSRF token: ${r.text}`);
  const out = await api('POST', '/api/v1/auth/logout', { cookie, body: {}, headers: { 'x-csrf-token': csrf } });
  assert.ok(out.status === 200 || out.status === 204, `logout with CSRF: ${out.status} ${out.text}`);
  assertError(await api('GET', '/api/v1/me', { cookie }), 401, 'UNAUTHENTICATED');
});

test('malformed JSON → 400 BAD_JSON', async () => {
  assertError(await api('POST', '/api/v1/auth/login', { body: '{"username": "x", ', headers: { 'content-type': 'application/json' } }), 400, 'BAD_JSON');
  assertError(await api('POST', '/api/v1/auth/login', { body: '[1,2]', headers: { 'content-type': 'application/json' } }), 400, 'BAD_JSON');
  const deep = '{"a":'.repeat(200) + '1' + '}'.repeat(200);
  assertError(await api('POST', '/api/v1/auth/login', { body: deep, headers: { 'content-type': 'application/json' } }), 400, 'BAD_JSON');
});

test('2 MiB body → 413 BODY_TOO_LARGE', async () => {
  const big = JSON.stringify({ username: 'x', password: 'y', pad: 'a'.repeat(2 * 1024 * 1024) });
  let r;
  try {
    r = await api('POST', '/api/v1/auth/login', { body: big, headers: { 'content-type': 'application/json' } });
  } catch (e) {
    assert.fail(`connection dropped instead of a 413 reply: ${e.cause?.code || e.message}`);
  }
  assertError(r, 413, 'BODY_TOO_LARGE');
  // The server is still fine afterwards.
  assert.equal((await api('GET', '/healthz')).status, 200);
});

test('unknown path → 404 NOT_FOUND; wrong method → 405', async () => {
  assertError(await api('GET', '/api/v1/no-such-thing'), 404, 'NOT_FOUND');
  assertError(await api('GET', '/api/v1/users/1/no-such-thing'), 404, 'NOT_FOUND');
  const r = await api('DELETE', '/api/v1/auth/login');
  assertError(r, 405);
  const allow = r.headers.get('allow');
  if (allow) assert.match(allow, /POST/);
  assertError(await api('PUT', '/healthz', { body: {} }), 405);
});

test('every response carries x-request-id, distinct per request', () => {
  assert.ok(seen.length > 10);
  const missing = seen.filter((s) => !s.rid);
  assert.deepEqual(missing, [], 'responses without x-request-id');
  const ids = new Set(seen.map((s) => s.rid));
  assert.equal(ids.size, seen.length, 'request ids are unique');
});

test('GET /metrics → Prometheus text with zx_http_requests_total', async () => {
  const r = await api('GET', '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') || '', /text\/plain/);
  assert.match(r.text, /^# TYPE zx_http_requests_total counter$/m);
  assert.match(r.text, /^zx_http_requests_total\{[^}]*\} \d+/m);
  assert.match(r.text, /uptime/);
});

test('GET /api/v1/openapi.json describes the endpoints', async () => {
  const r = await api('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.ok(r.json && r.json.openapi, 'openapi version field');
  const paths = Object.keys(r.json.paths || {});
  for (const p of ['/api/v1/auth/login', '/api/v1/me']) assert.ok(paths.includes(p), `${p} missing from ${paths.join(' ')}`);
  assert.ok(r.json.paths['/api/v1/auth/login'].post, 'login is a POST');
  // path parameters in OpenAPI syntax
  assert.ok(!paths.some((p) => p.includes('/:')), 'use {id}, not :id, in OpenAPI paths');
});

test('static files: index.html as text/html, node_modules as text/javascript', async () => {
  const idx = await api('GET', '/');
  assert.equal(idx.status, 200);
  assert.match(idx.headers.get('content-type') || '', /^text\/html/);
  assert.match(idx.text, /<html/i);
  const i2 = await api('GET', '/index.html');
  assert.equal(i2.status, 200);
  assert.match(i2.headers.get('content-type') || '', /^text\/html/);
  const vue = await api('GET', '/node_modules/vue/dist/vue.esm-browser.prod.js');
  assert.equal(vue.status, 200);
  assert.match(vue.headers.get('content-type') || '', /^(text|application)\/javascript/);
  assert.match(vue.headers.get('content-type') || '', /^text\/javascript/, 'text/javascript (RFC 9239)');
  const css = await api('GET', '/node_modules/element-plus/dist/index.css');
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type') || '', /^text\/css/);
  assertError(await api('GET', '/no-such-file.js'), 404);
});

test('path traversal is refused', async () => {
  const secret = fs.readFileSync(path.join(ROOT, 'Makefile'), 'utf8').split('\n')[0];
  for (const p of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/node_modules/../../etc/passwd',
    '/node_modules/%2e%2e/Makefile', '/%2e%2e/Makefile', '/web/../Makefile', '/..\\Makefile', '/%252e%252e/Makefile']) {
    const r = await rawGet(p);
    assert.ok(r.status >= 400 && r.status < 500 || r.status === 200 && /<html/i.test(r.text), `${p} → ${r.status}`);
    assert.ok(!/root:.*:0:0:/.test(r.text), `${p} leaked /etc/passwd`);
    assert.ok(!r.text.includes(secret), `${p} leaked the Makefile`);
  }
});

test('court scoping: a 辽0102 judge cannot see 辽0103 users', async () => {
  const j = demoUser(ROLE.judge, '辽0102');
  const token = await zx.login(j.username, zx.creds.demoPassword);
  const other = zx.users().find((u) => u.court_code === '辽0103');
  assert.ok(other, 'demo data has a 辽0103 user');
  const r = await api('GET', `/api/v1/users/${other.id}`, { token });
  assert.ok([403, 404].includes(r.status), `judge of 辽0102 reading a 辽0103 user: ${r.status} ${r.text}`);
  assertError(r, r.status);
  const list = await api('GET', '/api/v1/users?court=辽0103', { token });
  if (list.status === 200) {
    const rows = list.json.items ?? list.json.users ?? list.json;
    assert.ok(Array.isArray(rows));
    assert.ok(!rows.some((u) => u.court_code === '辽0103' || u.court?.code === '辽0103'), 'no 辽0103 users listed');
  } else {
    assertError(list, list.status);
    assert.ok([403, 404].includes(list.status));
  }
});

test('zhixing audit verify: 0 on an intact chain, non-zero naming the altered record', () => {
  const ok = zx.cli(['audit', 'verify']);
  assert.equal(ok.code, 0, `verify on intact chain: ${ok.stdout}${ok.stderr}`);
  const rows = zx.sql('SELECT seq FROM audit_log ORDER BY seq');
  assert.ok(rows.length >= 3, `audit records expected (logins, unlock): ${rows.length}`);
  const victim = Number(rows[Math.floor(rows.length / 2)].seq);
  zx.exec(`UPDATE audit_log SET result = 'tampered' WHERE seq = ${victim}`);
  const bad = zx.cli(['audit', 'verify']);
  assert.notEqual(bad.code, 0, `verify after tampering: exit ${bad.code} ${bad.signal} ${bad.stdout}${bad.stderr}`);
  assert.match(bad.stdout + bad.stderr, new RegExp(`\\b${victim}\\b`), `names record ${victim}: exit ${bad.code} ${bad.signal} ${bad.stdout}${bad.stderr}`);
});

test('SIGTERM → graceful shutdown, exit code 0', async () => {
  const r = await zx.stop();
  assert.equal(r.code, 0);
});
