// sec10a_errors.test.mjs — issue 10 items 8 and 9: errors never leak internals (invalid UTF-8 in a
// query, store errors, protocol-level errors in the JSON error shape, request smuggling refused,
// paging integers that cannot overflow); `audit verify` hashes exact bytes (a NUL byte cannot hide
// an edit), accepts chains begun under the old hash scheme and refuses a fall-back to it.
// Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { startServer } from './lib.mjs';

let zx, chief;
function assertJsonError(r, status, code) {
  assert.equal(r.status, status, `${status} expected, got ${r.status}: ${r.text}`);
  assert.match(r.headers['content-type'] ?? r.headers.get?.('content-type') ?? '', /application\/json/);
  const j = typeof r.json === 'object' && r.json ? r.json : JSON.parse(r.body);
  assert.match(j.error.code, /^[A-Z][A-Z0-9_]*$/);
  assert.equal(typeof j.error.message, 'string');
  if (code) assert.equal(j.error.code, code);
}
// One raw HTTP/1.1 exchange (fetch would normalise or refuse these requests).
function raw(text) {
  return new Promise((resolve, reject) => {
    const s = net.connect(zx.port, '127.0.0.1', () => s.write(Buffer.from(text, 'latin1')));
    let data = Buffer.alloc(0);
    s.on('data', (d) => { data = Buffer.concat([data, d]); });
    s.on('end', () => {
      const t = data.toString('utf8');
      const [head, ...rest] = t.split('\r\n\r\n');
      const headers = {};
      for (const l of head.split('\r\n').slice(1)) { const i = l.indexOf(':'); headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim(); }
      const body = rest.join('\r\n\r\n');
      let json = null;
      try { json = JSON.parse(body); } catch { }
      resolve({ status: Number(head.split(' ')[1]), headers, body, json, text: t, closed: true });
    });
    s.on('error', reject);
    s.setTimeout(5000, () => { s.destroy(); reject(new Error('timeout')); });
  });
}
const POST = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';

before(async () => {
  zx = await startServer({ demo: false }); // a short audit chain: the scheme tests rewrite all of it
  const add = zx.cli(['user', 'add', '--username', 'wang_chief', '--court', '最高法', '--role', 'chief', '--password-stdin'], { input: 'Wang-Chief#20x7\n' });
  assert.equal(add.code, 0, add.stderr);
  chief = await zx.login('wang_chief', 'Wang-Chief#20x7'); // the harness makes the forced change
});
after(async () => { await zx?.stop(); });

test('invalid UTF-8 in a query answers 400 BAD_QUERY, never the store\'s error', async () => {
  for (const p of ['/api/v1/cases?q=%ff%fe', '/api/v1/users?court=%c3%28', '/api/v1/audit?user=%ed%a0%80', '/api/v1/cases?q=%00', '/api/v1/cases?q=%zz']) {
    const r = await zx.api('GET', p, { token: chief });
    assertJsonError(r, 400, 'BAD_QUERY');
    assert.doesNotMatch(r.text, /invalid byte sequence|SQL|sqlite|postgres|UTF8/i);
  }
  const ok = await zx.api('GET', `/api/v1/cases?q=${encodeURIComponent('张三')}&court=${encodeURIComponent('最高法')}`, { token: chief });
  assert.equal(ok.status, 200, ok.text);
});

test('paging integers cannot overflow: out-of-range or non-numeric values are 400 BAD_QUERY', async () => {
  const aud = await zx.login(zx.creds.auditor.username, zx.creds.auditor.password);
  for (const q of ['page=9223372036854775807', 'page=99999999999999999999999', 'size=-1', 'size=1e3', 'page=0x10', 'size=501']) {
    assertJsonError(await zx.api('GET', `/api/v1/audit?${q}`, { token: aud }), 400, 'BAD_QUERY');
  }
  assert.equal((await zx.api('GET', '/api/v1/audit?page=2&size=5', { token: aud })).status, 200);
  for (const q of ['limit=99999999999', 'offset=-5', 'limit=abc']) {
    assertJsonError(await zx.api('GET', `/api/v1/credit/special-subjects?${q}`, { token: chief }), 400, 'BAD_QUERY');
  }
});

test('Content-Length with Transfer-Encoding, or two different Content-Lengths, are refused and the connection closed', async () => {
  const body = '{"username":"a","password":"b"}';
  let r = await raw(`${POST}Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
  assertJsonError(r, 400, 'BAD_REQUEST');
  assert.equal((r.text.match(/HTTP\/1\.1 /g) || []).length, 1, 'the smuggled request was not answered');
  r = await raw(`${POST}Content-Length: 2\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  assertJsonError(r, 400, 'BAD_REQUEST');
  assert.equal((r.text.match(/HTTP\/1\.1 /g) || []).length, 1);
  // identical duplicates are harmless framing and are accepted (RFC 9110 §8.6)
  r = await raw(`${POST}Connection: close\r\nContent-Length: ${body.length}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  assertJsonError(r, 401, 'BAD_CREDENTIALS');
});

test('protocol-level errors answer in the JSON error shape', async () => {
  for (const h of ['Content-Length: abc\r\n\r\n{}', 'Content-Length: 99999999999999999999999\r\n\r\n{}',
    'Transfer-Encoding: gzip\r\n\r\n{}', 'Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n']) {
    const r = await raw(`${POST}Connection: close\r\n${h}`);
    assertJsonError(r, 400, 'BAD_REQUEST');
  }
  const big = await raw(`${POST}Connection: close\r\nContent-Length: ${300 * 1024 * 1024}\r\n\r\n{}`);
  assertJsonError(big, 413);
});

test('bytes that are not HTTP at all (printf "HELLO\\r\\n\\r\\n" | nc) answer 400 in the JSON error shape and close', async () => {
  for (const junk of ['HELLO\r\n\r\n', 'GET\r\n\r\n', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', 'GET / HTTP/1.1\r\nHost x\r\n\r\n']) {
    const r = await raw(junk);
    assertJsonError(r, 400, 'BAD_REQUEST');
    assert.equal(r.headers.connection, 'close');
    assert.ok(!/text\/plain|Bad Request$/.test(r.body), r.text);
  }
  // after a good request on a keep-alive connection, garbage gets the same answer
  const r = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nHELLO\r\n\r\n');
  const second = r.text.slice(r.text.indexOf('HTTP/1.1', 5));
  assert.match(second, /^HTTP\/1\.1 400 /);
  assert.match(second, /"code":"BAD_REQUEST"/);
});

// --- audit hash scheme ---------------------------------------------------------------------------
const v1put = (s) => (s === null || s === undefined ? '-;' : `${Buffer.byteLength(String(s))}:${s};`);
function v1hash(prev, r) {
  const canon = [prev, String(r.seq), String(r.at_ms), String(r.user_id), r.username, r.court_code, r.action, r.object_type,
    r.object_id, r.result, r.client_ip, r.request_id, r.detail].map(v1put).join('');
  return crypto.createHash('sm3').update(canon).digest('hex');
}

test('a chain written under hash scheme 1 (a store from before migration 009) verifies', () => {
  const rows = zx.sql('SELECT hash_v FROM audit_log');
  assert.ok(rows.length >= 4 && rows.every((r) => Number(r.hash_v) === 2), 'new records use scheme 2');
  assert.equal(zx.cli(['audit', 'verify']).code, 0);
  // Rewrite the whole chain as an old store holds it: scheme 1 hashes, relinked, head moved.
  let prev = '0'.repeat(64);
  const head = Number(zx.sql('SELECT seq FROM audit_head')[0].seq);
  const sql = [];
  for (const r of zx.sql(`SELECT seq, at_ms, CAST(user_id AS TEXT) AS user_id, username, court_code, action, object_type, object_id, result, client_ip, request_id, detail FROM audit_log WHERE seq <= ${head} ORDER BY seq`)) {
    const h = v1hash(prev, r);
    sql.push(`UPDATE audit_log SET hash_v = 1, prev_hash = '${prev}', hash = '${h}' WHERE seq = ${r.seq};`);
    prev = h;
  }
  sql.push(`UPDATE audit_head SET hash = '${prev}' WHERE id = 1;`);
  zx.exec(sql.join('\n'));
  const old = zx.cli(['audit', 'verify']);
  assert.equal(old.code, 0, old.stdout + old.stderr);
  // an edit in it is still found
  const orig = zx.sql('SELECT result FROM audit_log WHERE seq = 2')[0].result;
  zx.exec(`UPDATE audit_log SET result = 'forged' WHERE seq = 2`);
  const bad = zx.cli(['audit', 'verify']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stdout + bad.stderr, /record 2\b/);
  zx.exec(`UPDATE audit_log SET result = '${orig}' WHERE seq = 2`);
  assert.equal(zx.cli(['audit', 'verify']).code, 0, 'record 2 was ok before');
});

test('new records continue an old chain with scheme 2; a NUL byte cannot hide an edit', async () => {
  await zx.login(zx.creds.auditor.username, zx.creds.auditor.password); // writes auth.login records
  const v = zx.sql('SELECT hash_v, COUNT(*) AS n FROM audit_log GROUP BY hash_v ORDER BY hash_v');
  assert.deepEqual(v.map((x) => Number(x.hash_v)), [1, 2], JSON.stringify(v));
  const ok = zx.cli(['audit', 'verify']);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  // a scheme-2 record claiming scheme 1 is refused
  const last = Number(zx.sql('SELECT MAX(seq) AS m FROM audit_log')[0].m);
  zx.exec(`UPDATE audit_log SET hash_v = 1 WHERE seq = ${last}`);
  assert.notEqual(zx.cli(['audit', 'verify']).code, 0, 'fall-back to scheme 1 refused');
  zx.exec(`UPDATE audit_log SET hash_v = 2 WHERE seq = ${last}`);
  assert.equal(zx.cli(['audit', 'verify']).code, 0);
  if (zx.kind === 'sqlite') { // PostgreSQL text cannot hold a NUL byte at all
    const rec = zx.sql(`SELECT seq, detail FROM audit_log WHERE seq = ${last}`)[0];
    zx.exec(`UPDATE audit_log SET detail = COALESCE(detail, '') || char(0) || 'forged' WHERE seq = ${last}`);
    const bad = zx.cli(['audit', 'verify']);
    assert.notEqual(bad.code, 0, 'edit after a NUL byte detected');
    assert.match(bad.stdout + bad.stderr, new RegExp(`record ${last}\\b`));
    zx.exec(`UPDATE audit_log SET detail = ${rec.detail === null ? 'NULL' : `'${rec.detail.replace(/'/g, "''")}'`} WHERE seq = ${last}`);
    assert.equal(zx.cli(['audit', 'verify']).code, 0);
  }
});
