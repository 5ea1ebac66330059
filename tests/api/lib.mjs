// tests/api/lib.mjs — harness for API tests: a fresh store + a real `bin/zhixing serve` per test file.
//
//   import { test, before, after } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { startServer } from './lib.mjs';
//   let zx;
//   before(async () => { zx = await startServer(); });   // init --demo + serve on a free port
//   after(async () => { await zx?.stop(); });            // SIGTERM; throws unless exit code 0
//   test('me', async () => {
//     const token = await zx.login(zx.creds.sysadmin.username, zx.creds.sysadmin.password);
//     const r = await zx.api('GET', '/api/v1/me', { token });
//     assert.equal(r.status, 200, r.text);
//   });
//
// Store: env ZX_TEST_DB=sqlite (default; a temp file) or postgres (CREATE DATABASE on the cluster
// named by ZX_TEST_PG_URL, one database per startServer()). Binary: env ZX_ZHIXING_BIN (default
// bin/zhixing; make test uses bin/zhixing-san for the sanitizer run). Server output goes to
// test-results/logs/server-<file>-<db>-<n>.log; zx.logTail() returns its last lines.
//
// zx = await startServer({ demo = true, env = {}, serveEnv = {}, args = [] }) gives:
//   zx.base, zx.port, zx.dbUrl, zx.kind ('sqlite'|'postgres'), zx.keyFile (personal-data key file),
//   zx.checkpointDir / zx.archiveDir (signed audit checkpoints and archives, outside the store)
//   zx.api(method, path, { body, token, cookie, headers, raw }) → { status, json, headers, text }
//       body: object → JSON; string/Buffer → sent as is (raw). token → Authorization: Bearer.
//       cookie: a Cookie header value. json is null when the body is not JSON.
//   zx.login(username, password) → token (asserts 200), performing a forced password change
//       transparently (the new password is remembered: zx.changedPassword(u)); zx.loginFull(u, p) →
//       whole raw response (must_change_password visible). Second factor: servers start with
//       ZX_TOTP_REQUIRED=0 unless the test sets it; zx.login enrols a user who must enrol and sends
//       the current TOTP for an enrolled one (zx.totpSecret(u), zx.totpRemember(u, secret, usedStep));
//       totpCode(secret, atMs) is exported (RFC 6238)
//   zx.creds: { sysadmin, secadmin, auditor: {username, password}, demoPassword }
//       The passwords are fixed through ZX_SYSADMIN_PASSWORD / ZX_SECADMIN_PASSWORD /
//       ZX_AUDITOR_PASSWORD / ZX_DEMO_PASSWORD, read by `zhixing init`.
//   zx.users() → [{id (string), username, court_code, roles, is_demo}] straight from the store
//   zx.userByRole(roleBit, courtCode?) → a demo user (ROLE bits as in src/account/authz.h)
//   zx.cli(args, { input, env }) → { code, stdout, stderr }: bin/zhixing ARGS --db URL
//   zx.sql(query) → rows as objects; zx.exec(statement) — direct store access (sqlite3 / psql),
//       for checks the API cannot make (tampering with the audit trail, say). Ids are 64-bit and
//       exceed JS's 2^53: select them as CAST(id AS TEXT), as users() does.
//   zx.stop() → { code, signal }: SIGTERM and wait; throws if the exit code is not 0
//   zx.restart(fn) → stop (must exit 0), await fn() while down, serve the same store on the same port
//   cookieOf(headers, name) → the value of a Set-Cookie cookie; setCookies(headers) → raw list
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.ZX_ZHIXING_BIN || path.join(ROOT, 'bin/zhixing');
export const DB_KIND = process.env.ZX_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
const SAN = /san/.test(path.basename(BIN));
const LOG_DIR = path.join(ROOT, 'test-results/logs');

// Passwords satisfy the policy (≥ 8 chars, 3 of 4 classes). Test-only values.
export const PASSWORDS = {
  sysadmin: 'Sys-Admin#2024t',
  secadmin: 'Sec-Admin#2024t',
  auditor: 'Audit-Log#2024t',
  demo: 'Demo-Pass#2024t',
};
// Role bits — must match src/account/authz.h.
export const ROLE = {};
try {
  const h = fs.readFileSync(path.join(ROOT, 'src/account/authz.h'), 'utf8');
  for (const m of h.matchAll(/#define\s+ROLE_([A-Z_]+)\s+\(?\s*(0x[0-9a-fA-F]+|\d+|1u?\s*<<\s*\d+)/g)) {
    const v = m[2].includes('<<') ? 1 << Number(m[2].split('<<')[1]) : Number(m[2].replace(/u$/, ''));
    ROLE[m[1].toLowerCase()] = v;
  }
} catch { /* header missing: ROLE stays empty */ }

let serial = 0;
const children = new Set();
process.on('exit', () => { for (const c of children) try { c.kill('SIGKILL'); } catch { } });

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) from a base32 secret — what an authenticator app computes.
export function totpCode(secretB32, atMs = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretB32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(atMs / 30000)));
  const h = crypto.createHmac('sha1', key).update(msg).digest();
  const o = h[19] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

function childEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('ZX_') && !k.startsWith('ZX_TEST') && k !== 'ZX_ZHIXING_BIN') delete env[k];
  return {
    ...env,
    ZX_SYSADMIN_PASSWORD: PASSWORDS.sysadmin,
    ZX_SECADMIN_PASSWORD: PASSWORDS.secadmin,
    ZX_AUDITOR_PASSWORD: PASSWORDS.auditor,
    ZX_DEMO_PASSWORD: PASSWORDS.demo,
    ZX_TOTP_REQUIRED: '0', // second factor only where a test asks (env { ZX_TOTP_REQUIRED: '1' })
    ...extra,
  };
}

function psql(url, sqlText) {
  const r = spawnSync('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sqlText], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${sqlText}\n${r.stderr}`);
  return r.stdout;
}

// postgresql://[authority]/[dbname][?params] with dbname replaced (authority may be empty).
export function withDbName(url, name) {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) throw new Error(`not a libpq URI: ${url}`);
  return `${m[1]}/${name}${m[3] || ''}`;
}

async function makeStore(tag) {
  if (DB_KIND === 'postgres') {
    const base = process.env.ZX_TEST_PG_URL;
    if (!base) throw new Error('ZX_TEST_DB=postgres needs ZX_TEST_PG_URL (scripts/pg-temp.sh start DIR)');
    const name = `zx_${tag.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${Date.now() % 100000}`;
    psql(base, `CREATE DATABASE ${name}`);
    const url = withDbName(base, name);
    // the personal-data key file (src/core/pii.h) lives outside the store: one per database
    const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zx-keys-'));
    return {
      url, name, keyFile: `${keyDir}/zhixing.keys`, keyDir,
      drop: () => { try { psql(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { } fs.rmSync(keyDir, { recursive: true, force: true }); },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zx-api-'));
  return { url: `sqlite:${dir}/zhixing.db`, file: `${dir}/zhixing.db`, drop: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// Template stores. Under `make test` (ZX_TEST_PIDDIR set) `zhixing init [--demo]` runs once per binary,
// store kind and init environment for the whole run: the first startServer() initialises a template
// store under a lock, later ones copy it — SQLite: the store file with its key files (the copy keeps
// their modes); PostgreSQL: CREATE DATABASE … TEMPLATE, plus the key directory. The demo then costs one
// init per suite instead of one per file. Run directly (node --test …), every store is initialised.
// ZX_TEST_NO_TEMPLATE=1 turns it off.
function templateRoot() {
  if (!process.env.ZX_TEST_PIDDIR || process.env.ZX_TEST_NO_TEMPLATE === '1') return null;
  return path.join(path.dirname(process.env.ZX_TEST_PIDDIR), 'templates');
}

function fromTemplate(store, initArgs, env, runInit) {
  const root = templateRoot();
  if (!root) return null;
  let st;
  try { st = fs.statSync(BIN); } catch { return null; }
  // ZX_SIM_URL is not part of the key: the demo institutions are stored relative to the simulator
  // ("sim:/inst/…", resolved at ZX_SIM_URL when the server runs) and the simulator's institution keys
  // do not depend on its port or seed, so one template serves every test's simulator
  const key = crypto.createHash('sha256').update(JSON.stringify([BIN, st.mtimeMs, st.size, DB_KIND,
    process.env.ZX_TEST_PG_URL || '', initArgs, Object.keys(env).filter((k) => k !== 'ZX_SIM_URL').sort().map((k) => [k, env[k]])])).digest('hex').slice(0, 16);
  const dir = path.join(root, key);
  fs.mkdirSync(root, { recursive: true });
  const pgBase = process.env.ZX_TEST_PG_URL;
  const tplDb = `zxtpl_${key}`;
  let mine = false;
  try { fs.mkdirSync(dir); mine = true; } catch { }
  if (mine) {
    // build the template: a store of its own, initialised once
    let init;
    if (DB_KIND === 'postgres') {
      psql(pgBase, `CREATE DATABASE ${tplDb}`);
      const keyDir = path.join(dir, 'keys');
      fs.mkdirSync(keyDir);
      const outside = {
        ZX_PII_KEY_FILE: `${keyDir}/zhixing.keys`, ZX_AUDIT_KEY_FILE: `${keyDir}/audit.pem`,
        ZX_AUDIT_CHECKPOINT_DIR: `${keyDir}/checkpoints`, ZX_AUDIT_ARCHIVE_DIR: `${keyDir}/archive`,
      };
      const r = spawnSync(BIN, [...initArgs, '--db', withDbName(pgBase, tplDb)], {
        cwd: ROOT, encoding: 'utf8', env: childEnv({ ...outside, ...env }), timeout: 600000,
      });
      init = { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    } else {
      const r = spawnSync(BIN, [...initArgs, '--db', `sqlite:${dir}/zhixing.db`], {
        cwd: ROOT, encoding: 'utf8', env: childEnv(env), timeout: 600000,
      });
      init = { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    }
    fs.writeFileSync(path.join(dir, init.code === 0 ? 'ready' : 'failed'), `${init.stdout}${init.stderr}`);
    if (init.code !== 0) return runInit(initArgs);
  } else {
    const t0 = Date.now();
    while (!fs.existsSync(path.join(dir, 'ready'))) {
      if (fs.existsSync(path.join(dir, 'failed')) || Date.now() - t0 > 900000) return null;
      spawnSync('sleep', ['0.2']);
    }
  }
  // copy the template into this test's store
  const out = fs.readFileSync(path.join(dir, 'ready'), 'utf8');
  if (DB_KIND === 'postgres') {
    psql(pgBase, `DROP DATABASE IF EXISTS ${store.name}`);
    psql(pgBase, `CREATE DATABASE ${store.name} TEMPLATE ${tplDb}`);
    fs.cpSync(path.join(dir, 'keys'), store.keyDir, { recursive: true });
  } else {
    const sdir = path.dirname(store.file);
    for (const f of fs.readdirSync(dir)) {
      if (f.startsWith('zhixing.db')) fs.cpSync(path.join(dir, f), path.join(sdir, f), { recursive: true });
    }
  }
  return { code: 0, signal: null, stdout: `(copied from the template store ${key})\n${out}`, stderr: '' };
}

export function setCookies(headers) {
  return typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : (headers.get('set-cookie') ? [headers.get('set-cookie')] : []);
}
export function cookieOf(headers, name) {
  for (const c of setCookies(headers)) {
    const [kv] = c.split(';');
    const i = kv.indexOf('=');
    if (kv.slice(0, i).trim() === name) return kv.slice(i + 1).trim();
  }
  return null;
}

// A server started without a simulator (env ZX_SIM_URL from startSim()) gets a closed local port
// instead of the default http://127.0.0.1:8090: tests never talk to a `make run` demo's simulator.
export const NO_SIM_URL = 'http://127.0.0.1:9';
// serveEnv: settings only `zhixing serve` reads (rate limits, dispatcher timings …). Unlike env they are
// not part of the template key (they do not change what `init` writes), so such a test copies the
// suite's template store instead of initialising one of its own (~80 s on PostgreSQL under load).
export async function startServer({ demo = true, env = {}, serveEnv = {}, args = [], name } = {}) {
  env = { ZX_SIM_URL: NO_SIM_URL, ...env };
  const file = name || path.basename(process.argv[1] || 'test', '.mjs').replace(/\.test$/, '');
  const n = ++serial;
  const store = await makeStore(`${file}${n}`);
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logPath = path.join(LOG_DIR, `server-${file}-${DB_KIND}${SAN ? '-san' : ''}-${n}.log`);
  const outside = store.keyDir ? { // key files, checkpoints and archives live outside the store: per PostgreSQL database
    ZX_PII_KEY_FILE: store.keyFile, ZX_AUDIT_KEY_FILE: `${store.keyDir}/audit.pem`,
    ZX_AUDIT_CHECKPOINT_DIR: `${store.keyDir}/checkpoints`, ZX_AUDIT_ARCHIVE_DIR: `${store.keyDir}/archive`,
  } : {};
  const cliEnv = childEnv({ ...outside, ...env, ...serveEnv });

  const zx = {
    kind: DB_KIND, dbUrl: store.url, logPath, creds: null, child: null,
    childEnv: cliEnv, // the environment bin/zhixing runs with (for tests that spawn it themselves)
    keyFile: store.keyFile || `${store.file}.keys`, // personal-data keys (src/core/pii.h)
    checkpointDir: store.keyDir ? `${store.keyDir}/checkpoints` : `${store.file}.checkpoints`, // audit/anchor.h
    archiveDir: store.keyDir ? `${store.keyDir}/archive` : `${store.file}.archive`,
    cli(cargs, { input, env: e = {} } = {}) {
      const r = spawnSync(BIN, [...cargs, '--db', store.url], {
        cwd: ROOT, input, encoding: 'utf8', env: { ...cliEnv, ...e }, timeout: 300000, // init --demo on PostgreSQL on a loaded 2-core machine: ~90 s
      });
      return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    sql(query) {
      if (DB_KIND === 'postgres') {
        const out = psql(store.url, `SELECT coalesce(json_agg(t), '[]') FROM (${query}) t`).trim();
        return JSON.parse(out || '[]');
      }
      const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', '-json', store.file, query], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sqlite3 failed: ${query}\n${r.stderr}`);
      return r.stdout.trim() ? JSON.parse(r.stdout) : [];
    },
    exec(statement) {
      if (DB_KIND === 'postgres') return psql(store.url, statement);
      const r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', store.file, statement], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`sqlite3 failed: ${statement}\n${r.stderr}`);
      return r.stdout;
    },
    logTail(lines = 30) {
      try { return fs.readFileSync(logPath, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return ''; }
    },
  };

  const initArgs = ['init', ...(demo ? ['--demo'] : [])];
  const init = fromTemplate(store, initArgs, env, (a) => zx.cli(a)) || zx.cli(initArgs);
  fs.writeFileSync(logPath, `$ zhixing ${initArgs.join(' ')} --db ${store.url}\n${init.stdout}${init.stderr}\n`);
  if (init.code !== 0) {
    store.drop();
    throw new Error(`zhixing init failed (exit ${init.code}${init.signal ? ' ' + init.signal : ''}):\n${init.stdout}\n${init.stderr}`);
  }

  zx.users = () => zx.sql('SELECT CAST(u.id AS TEXT) AS id, u.username AS username, c.code AS court_code, u.roles AS roles, u.is_demo AS is_demo ' +
    'FROM app_user u JOIN court c ON c.id = u.court_id ORDER BY u.id');
  zx.userByRole = (bit, court) => zx.users().find((u) => (Number(u.roles) & bit) && (!court || u.court_code === court));
  const admin = (bit, fallback) => {
    let u;
    try { u = zx.users().find((x) => Number(x.roles) === bit && !Number(x.is_demo)) || zx.userByRole(bit); } catch { }
    return u ? u.username : fallback;
  };
  zx.creds = {
    sysadmin: { username: admin(ROLE.sysadmin, 'sysadmin'), password: PASSWORDS.sysadmin },
    secadmin: { username: admin(ROLE.secadmin, 'secadmin'), password: PASSWORDS.secadmin },
    auditor: { username: admin(ROLE.auditor, 'auditor'), password: PASSWORDS.auditor },
    demoPassword: PASSWORDS.demo,
  };

  // Serve on a free port; retry once if the port was taken in between.
  let child, exited = null;
  for (let attempt = 0; ; attempt++) {
    zx.port = await freePort();
    zx.base = `http://127.0.0.1:${zx.port}`;
    const fd = fs.openSync(logPath, 'a');
    fs.writeSync(fd, `$ zhixing serve --db ${store.url} --listen 127.0.0.1:${zx.port} ${args.join(' ')}\n`);
    child = spawn(BIN, ['serve', '--db', store.url, '--listen', `127.0.0.1:${zx.port}`, ...args],
      { cwd: ROOT, env: cliEnv, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    children.add(child);
    exited = null;
    const exitP = new Promise((res) => child.once('exit', (code, signal) => { exited = { code, signal }; children.delete(child); res(exited); }));
    child.exitP = exitP;
    if (process.env.ZX_TEST_PIDDIR) try { fs.writeFileSync(path.join(process.env.ZX_TEST_PIDDIR, String(child.pid)), ''); } catch { }
    const deadline = Date.now() + (SAN ? 60000 : 20000);
    let up = false;
    while (!exited && Date.now() < deadline) {
      try {
        const r = await fetch(`${zx.base}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) { up = true; break; }
      } catch { }
      await sleep(50);
    }
    if (up) break;
    if (!exited) { child.kill('SIGKILL'); await exitP; }
    unpid(child);
    if (attempt === 0 && /in use|EADDRINUSE|bind/i.test(zx.logTail(5))) continue;
    store.drop();
    throw new Error(`zhixing serve did not answer /healthz (${exited ? `exit ${exited.code} ${exited.signal || ''}` : 'timeout'}); log ${logPath}:\n${zx.logTail()}`);
  }
  zx.child = child;

  zx.api = async (method, p, { body, token, cookie, headers = {}, raw = false } = {}) => {
    const h = { ...headers };
    let b;
    if (body !== undefined) {
      if (typeof body === 'string' || Buffer.isBuffer(body) || raw) b = body;
      else { b = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
    }
    if (token) h.authorization = `Bearer ${token}`;
    if (cookie) h.cookie = cookie;
    // A kept-alive connection the server closed as idle just as it was reused fails before the
    // request reached the server (undici: "other side closed" / ECONNRESET): retry once on a fresh one.
    const once = () => fetch(zx.base + p, { method, headers: h, body: b, redirect: 'manual' });
    const r = await once().catch((e) => {
      const code = e?.cause?.code || '';
      if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return once();
      throw e;
    });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { }
    return { status: r.status, json, headers: r.headers, text };
  };
  // Forced password change (issue 10): an account created by `user add`, the API or a reset must
  // change its password before any other call. zx.login does that change transparently — it picks
  // a new password derived from the given one, remembers it, and later logins with the original
  // password use the remembered one — so every test can keep logging in with the password it knows.
  // zx.loginFull is the raw login (it only substitutes a remembered password): tests of the forced
  // change itself use it and see must_change_password.
  const changed = new Map(); // username → { from, to }
  const current = (username, password) => {
    const c = changed.get(username);
    return c && c.from === password ? c.to : password;
  };
  // Second factor (src/account/totp.h): the harness starts servers with ZX_TOTP_REQUIRED=0 unless a
  // test passes env { ZX_TOTP_REQUIRED: '1' }. When a user must enrol, zx.login enrols transparently
  // (secret remembered: zx.totpSecret(u)); for an enrolled user loginFull adds the current code
  // (the next step's when the current one was used — codes are single-use — or waits for it).
  const totpSecrets = new Map(); // username → base32 secret
  const totpUsed = new Map();    // username → last 30-s step used
  zx.totpSecret = (username) => totpSecrets.get(username);
  zx.totpRemember = (username, secret, usedStep = Math.floor(Date.now() / 30000)) => {
    totpSecrets.set(username, secret);
    totpUsed.set(username, usedStep); // a test that confirmed an enrolment used the current step
  };
  const totpFields = async (username) => {
    const secret = totpSecrets.get(username);
    if (!secret) return {};
    let step = Math.floor(Date.now() / 30000);
    const last = totpUsed.get(username) ?? -1;
    if (step <= last) step = last + 1;
    if (step > Math.floor(Date.now() / 30000) + 1) { await sleep((step - 1) * 30000 - Date.now() + 50); }
    totpUsed.set(username, step);
    return { totp: totpCode(secret, step * 30000) };
  };
  zx.loginFull = async (username, password) => zx.api('POST', '/api/v1/auth/login', {
    body: { username, password: current(username, password), ...(await totpFields(username)) },
  });
  zx.changedPassword = (username) => changed.get(username)?.to;
  zx.login = async (username, password) => {
    const r = await zx.loginFull(username, password);
    if (r.status !== 200 || !r.json?.token) throw new Error(`login ${username} → ${r.status} ${r.text}`);
    const token = r.json.token;
    if (r.json.user?.must_change_password) {
      const old = current(username, password);
      // letters and digits alternate: never a run, a repeat or a common password
      let next = 'Zx#';
      for (let i = 0; i < 7; i++) next += 'abcdefghjkmnpqrstuvwxyz'[Math.floor(Math.random() * 23)] + Math.floor(Math.random() * 10);
      const c = await zx.api('POST', '/api/v1/auth/password', { token, body: { old_password: old, new_password: next } });
      if (c.status !== 200) throw new Error(`forced password change of ${username} → ${c.status} ${c.text}`);
      changed.set(username, { from: password, to: next });
    }
    if (r.json.user?.totp_enrolment_required) {
      const e = await zx.api('POST', '/api/v1/auth/totp/enrol', { token });
      if (e.status !== 200) throw new Error(`TOTP enrolment of ${username} → ${e.status} ${e.text}`);
      const step = Math.floor(Date.now() / 30000);
      const c = await zx.api('POST', '/api/v1/auth/totp/confirm', { token, body: { code: totpCode(e.json.secret, step * 30000) } });
      if (c.status !== 200) throw new Error(`TOTP confirmation of ${username} → ${c.status} ${c.text}`);
      totpSecrets.set(username, e.json.secret);
      totpUsed.set(username, step);
    }
    return token;
  };

  let stopped = null;
  // zx.restart(): SIGTERM the server (must exit 0), run `fn` while it is down (e.g. zx.exec to move
  // time in the store), serve the same store on the same port again. For restart-survival tests.
  // zx.restart(fn, { kill: 'SIGKILL' }) crashes the server instead (kill -9: no drain, no clean exit).
  zx.restart = async (fn, { kill = 'SIGTERM' } = {}) => {
    child.kill(kill);
    const st = await child.exitP;
    unpid(child);
    if (kill === 'SIGTERM' && st.code !== 0) throw new Error(`zhixing serve did not shut down cleanly on restart (exit ${st.code}); log ${logPath}:\n${zx.logTail()}`);
    if (fn) await fn();
    const fd = fs.openSync(logPath, 'a');
    fs.writeSync(fd, `$ zhixing serve (restart) --listen 127.0.0.1:${zx.port}\n`);
    child = spawn(BIN, ['serve', '--db', store.url, '--listen', `127.0.0.1:${zx.port}`, ...args], { cwd: ROOT, env: cliEnv, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    children.add(child);
    exited = null;
    child.exitP = new Promise((res) => child.once('exit', (code, signal) => { exited = { code, signal }; children.delete(child); res(exited); }));
    if (process.env.ZX_TEST_PIDDIR) try { fs.writeFileSync(path.join(process.env.ZX_TEST_PIDDIR, String(child.pid)), ''); } catch { }
    zx.child = child;
    const deadline = Date.now() + (SAN ? 60000 : 20000);
    while (!exited && Date.now() < deadline) {
      try { if ((await fetch(`${zx.base}/healthz`, { signal: AbortSignal.timeout(2000) })).status === 200) return; } catch { }
      await sleep(50);
    }
    throw new Error(`zhixing serve did not come back after restart; log ${logPath}:\n${zx.logTail()}`);
  };
  zx.stop = async () => {
    if (stopped) return stopped;
    if (!exited) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), SAN ? 30000 : 15000);
    stopped = await child.exitP;
    clearTimeout(t);
    unpid(child);
    store.drop();
    if (stopped.code !== 0) {
      throw new Error(`zhixing serve did not shut down cleanly (exit ${stopped.code} ${stopped.signal || ''}); log ${logPath}:\n${zx.logTail()}`);
    }
    return stopped;
  };
  return zx;
}

function unpid(child) {
  if (process.env.ZX_TEST_PIDDIR) try { fs.unlinkSync(path.join(process.env.ZX_TEST_PIDDIR, String(child.pid))); } catch { }
}

// ---- bin/zhixing-sim (the simulator of outside parties) ----------------------------------------
//   const sim = await startSim({ seed = 1, opts = {'party.name': 'value'} });
//   zx = await startServer({ env: { ZX_SIM_URL: sim.url } });   // init --demo registers institutions there
//   sim.url, sim.port; sim.api(method, path, body) → { status, json, text }
//   sim.setClock('YYYY-MM-DD') moves the simulated date; sim.setOptions({...}) run-time options;
//   sim.stop() (SIGTERM). Output: test-results/logs/sim-<file>-<n>.log. Binary: env ZX_SIM_BIN
//   (default bin/zhixing-sim).
export const SIM_BIN = process.env.ZX_SIM_BIN || path.join(ROOT, 'bin/zhixing-sim');
let simSerial = 0;
export async function startSim({ seed = 1, opts = {}, name } = {}) {
  const file = name || path.basename(process.argv[1] || 'test', '.mjs').replace(/\.test$/, '');
  const n = ++simSerial;
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logPath = path.join(LOG_DIR, `sim-${file}-${DB_KIND}${SAN ? '-san' : ''}-${n}.log`);
  const optArgs = Object.entries(opts).flatMap(([k, v]) => ['--opt', `${k}=${v}`]);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const fd = fs.openSync(logPath, 'a');
    const child = spawn(SIM_BIN, ['--listen', `127.0.0.1:${port}`, '--seed', String(seed), ...optArgs],
      { cwd: ROOT, env: childEnv(), stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    children.add(child);
    let exited = null;
    const exitP = new Promise((res) => child.once('exit', (code, signal) => { exited = { code, signal }; children.delete(child); res(exited); }));
    if (process.env.ZX_TEST_PIDDIR) try { fs.writeFileSync(path.join(process.env.ZX_TEST_PIDDIR, String(child.pid)), ''); } catch { }
    const deadline = Date.now() + 10000;
    let up = false;
    while (!exited && Date.now() < deadline) {
      try {
        const r = await fetch(`${url}/sim/healthz`, { signal: AbortSignal.timeout(1000) });
        if (r.status === 200) { up = true; break; }
      } catch { }
      await sleep(30);
    }
    if (!up) {
      if (!exited) { child.kill('SIGKILL'); await exitP; }
      unpid(child);
      if (attempt === 0) continue;
      throw new Error(`zhixing-sim did not start; log ${logPath}:\n${fs.readFileSync(logPath, 'utf8').slice(-2000)}`);
    }
    const sim = {
      url, port, child, logPath,
      async api(method, p, body) {
        const opts = { method, headers: body !== undefined ? { 'content-type': 'application/json' } : {}, body: body !== undefined ? JSON.stringify(body) : undefined };
        // a kept-alive connection the simulator closed as idle may fail once: retry on a fresh one
        const r = await fetch(url + p, opts).catch(() => fetch(url + p, opts));
        const text = await r.text();
        let json = null;
        try { json = JSON.parse(text); } catch { }
        return { status: r.status, json, text };
      },
      setClock: (today) => sim.api('PUT', '/sim/v1/clock', { today }),
      setOptions: (o) => sim.api('PUT', '/sim/v1/options', o),
      async stop() {
        if (!exited) child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        const r = await exitP;
        clearTimeout(t);
        unpid(child);
        return r;
      },
    };
    return sim;
  }
}
