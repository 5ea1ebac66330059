// audit_anchor.test.mjs — audit anchoring, retention and alerts (issue 10 item 13, src/audit/anchor.h):
// the server writes SM2-signed checkpoints of the chain head outside the store; `audit verify
// --checkpoints DIR` passes on an intact trail and finds a chain rewritten together with its head
// (which the plain chain walk cannot); records are pruned only after a signed archive, never before
// 183 days (网络安全法 art 21), and verify continues from the archive; a burst of denied/failed
// requests and a failed verification raise alerts (log + /metrics).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { startServer, BIN, PASSWORDS } from './lib.mjs';

let zx;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const headSeq = () => Number(zx.sql('SELECT seq FROM audit_head WHERE id = 1')[0].seq);
const checkpoints = () => (fs.existsSync(zx.checkpointDir) ? fs.readdirSync(zx.checkpointDir) : [])
  .filter((f) => /^checkpoint-\d{12}-\d+\.json$/.test(f)).map((f) => JSON.parse(fs.readFileSync(`${zx.checkpointDir}/${f}`, 'utf8')));
async function waitCheckpoint(seq) {
  for (let i = 0; i < 100; i++) {
    if (checkpoints().some((c) => c.seq >= seq)) return;
    await sleep(200);
  }
  assert.fail(`no checkpoint at or after record ${seq}`);
}
async function until(pred, what) {
  for (let i = 0; i < 100; i++) {
    if (pred()) return;
    await sleep(200);
  }
  assert.fail(what);
}
// `zhixing ARGS` with the clock moved forward (Debian's faketime / libfaketime)
function cliLater(days, args) {
  const r = spawnSync('faketime', ['-f', `+${days}d`, BIN, ...args, '--db', zx.dbUrl], {
    encoding: 'utf8', env: { ...process.env, ...zx.childEnv },
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

before(async () => {
  zx = await startServer({ serveEnv: { ZX_AUDIT_CHECKPOINT_SEC: '1', ZX_AUDIT_ALERT_DENIED_PER_MIN: '5' } });
});
after(async () => { await zx?.stop(); });

test('signed checkpoints of the chain head are written outside the store and verify', async () => {
  await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  const seq = headSeq();
  await waitCheckpoint(seq);
  const cp = checkpoints().find((c) => c.seq >= seq);
  assert.equal(cp.v, 1);
  assert.match(cp.head, /^[0-9a-f]{64}$/);
  assert.match(cp.sig, /^[0-9a-f]{100,160}$/);
  assert.ok(fs.existsSync(`${zx.checkpointDir}/audit-sm2.pub.pem`));
  const keyFile = zx.kind === 'postgres' ? zx.childEnv.ZX_AUDIT_KEY_FILE : zx.dbUrl.replace(/^sqlite:/, '') + '.audit.pem';
  assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
  assert.match(fs.readFileSync(keyFile, 'utf8'), /BEGIN PRIVATE KEY/);
  const v = zx.cli(['audit', 'verify', '--checkpoints', zx.checkpointDir, '--pubkey', `${zx.checkpointDir}/audit-sm2.pub.pem`]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /\d+ signed checkpoints match/);
  // a forged checkpoint (signature of another head) is refused
  const forged = { ...cp, head: cp.head.replace(/^./, (ch) => (ch === '0' ? '1' : '0')) };
  fs.writeFileSync(`${zx.checkpointDir}/checkpoint-${String(cp.seq).padStart(12, '0')}-1.json`, JSON.stringify(forged));
  const f = zx.cli(['audit', 'verify', '--checkpoints', zx.checkpointDir]);
  assert.equal(f.code, 3, f.stdout + f.stderr);
  assert.match(f.stdout, /signature invalid/);
  fs.unlinkSync(`${zx.checkpointDir}/checkpoint-${String(cp.seq).padStart(12, '0')}-1.json`);
});

test('a burst of failed logins raises an alert (log + metric)', async () => {
  for (let i = 0; i < 6; i++) await zx.api('POST', '/api/v1/auth/login', { body: { username: `nobody${i}`, password: 'Wrong-Pass#1' } });
  await until(() => /SECURITY ALERT: \d+ denied or failed requests in the last minute/.test(zx.logTail(400)), 'no burst alert in the log');
  const m = await zx.api('GET', '/metrics');
  if (m.status === 200) assert.match(m.text, /zx_security_alerts_total\{kind="denied_burst"\} [1-9]/);
});

test('retention: nothing before 183 days; then a signed archive first, pruning after, verify continues', async () => {
  // 30 days is refused by the configuration (网络安全法 art 21: at least 6 months)
  const short = zx.cli(['audit', 'archive'], { env: { ZX_AUDIT_RETENTION_DAYS: '30' } });
  assert.match(short.stderr, /ZX_AUDIT_RETENTION_DAYS/);
  assert.match(short.stdout, /^0 audit records/);
  const before = headSeq();
  const r = cliLater(400, ['audit', 'archive']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const n = Number(/^(\d+) audit records/.exec(r.stdout)[1]);
  assert.ok(n >= before - 5, r.stdout);
  const arch = zx.sql('SELECT from_seq, to_seq, file, last_hash FROM audit_archive')[0];
  const lines = fs.readFileSync(`${zx.archiveDir}/${arch.file}`, 'utf8').trim().split('\n');
  assert.equal(lines.length, n + 1);
  const trailer = JSON.parse(lines.at(-1)).archive;
  assert.equal(trailer.records, n);
  assert.equal(trailer.last_hash, arch.last_hash);
  assert.match(trailer.sig, /^[0-9a-f]+$/);
  assert.equal(JSON.parse(lines[0]).seq, Number(arch.from_seq));
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE seq <= ${arch.to_seq}`)[0].n), 0);
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'audit.archive'`)[0].n), 1);
  // the chain verifies from the archive on, and the older checkpoints are checked against the archive
  await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  const v = zx.cli(['audit', 'verify', '--checkpoints', zx.checkpointDir]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
});

test('a chain rewritten together with its head passes the chain walk but not the signed checkpoints', async () => {
  for (let i = 0; i < 4; i++) await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  const seq = headSeq();
  await waitCheckpoint(seq);
  // the attacker replaces the last records: cut the chain back, reset the head, let new records follow
  const k = seq - 3;
  zx.exec(`DELETE FROM audit_log WHERE seq > ${k}`);
  zx.exec(`UPDATE audit_head SET seq = ${k}, hash = (SELECT hash FROM audit_log WHERE seq = ${k}) WHERE id = 1`);
  for (let i = 0; i < 5; i++) await zx.login('demo_clerk_liao0102', PASSWORDS.demo).catch(() => zx.login('demo_judge2_liao0102', PASSWORDS.demo));
  const plain = zx.cli(['audit', 'verify']);
  assert.equal(plain.code, 0, `the rewritten chain is self-consistent: ${plain.stdout}`);
  const v = zx.cli(['audit', 'verify', '--checkpoints', zx.checkpointDir]);
  assert.equal(v.code, 3, v.stdout + v.stderr);
  assert.match(v.stdout, /differs from the signed checkpoint|chain ends at/);
  // the server's own periodic check raises the alert
  await until(() => /SECURITY ALERT: audit trail verification failed/.test(zx.logTail(400)), 'no verification alert');
});
