// pii.test.mjs — personal data at rest (issue 10 item 11, src/core/pii.h): a party's ID number, phone
// and address are unreadable in the store file (SQLite file + WAL) and in a PostgreSQL dump, yet the
// API answers them (masked or in full as before) and finds the case by exact ID number through the
// blind index; values written in clear before migration 020 are sealed at start; the key file is
// 0600 and another key file is refused; key rotation re-seals everything while the server runs; the
// blind-index key rotates online while a writer and a reader run (core/pii.h "Online rotation"):
// look-ups, the 特殊主体 roster report (a join of two blind-index columns) and the portal query codes
// printed on notices (the stable key) keep answering throughout and after it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { spawnSync, spawn } from 'node:child_process';
import { startServer, startSim, PASSWORDS, BIN, ROOT } from './lib.mjs';
import { idNumber } from './ids.mjs';
import { readKeys, openSealed, hexSql, blindIndex, queryCode } from './pii_keys.mjs';

let zx, sim;
const tok = {};
const pad = (n) => String(n).padStart(2, '0');
function daysAgo(n) {
  const d = new Date(Date.now() + 8 * 3600e3 - n * 86400e3);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const ID_APP = idNumber('210102', '19811224', 517);
const ID_DEBT = idNumber('210103', '19720608', 233);
const PHONE = '13912345678';
const ADDRESS = '辽宁省沈阳市和平区青年大街二八六号';
const CONDITIONS = { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true };
let caseId;

// Every byte of the store as it sits on disk (SQLite: the file and its WAL; PostgreSQL: pg_dump).
function storeBytes() {
  if (zx.kind === 'postgres') {
    const r = spawnSync('pg_dump', ['--no-owner', zx.dbUrl], { maxBuffer: 1 << 30 });
    assert.equal(r.status, 0, String(r.stderr));
    return r.stdout;
  }
  const file = zx.dbUrl.replace(/^sqlite:/, '');
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

// After a long synchronous CLI run the server may have closed the idle keep-alive connection that
// fetch is about to reuse: one retry on a network error (never on an HTTP answer).
async function get(path, token) {
  try { return await zx.api('GET', path, { token }); } catch { return zx.api('GET', path, { token }); }
}

before(async () => {
  // servers re-read the key file every 200 ms (ZX_PII_RELOAD_MS), so a rotation's phases settle in
  // about a second instead of 10 s (the CLI waits two intervals per phase)
  // (the public portal's per-address limit is lifted: the rotation test's reader asks it many times)
  // (the simulated SMS gateway: a party signs in to the portal with a query code and a one-time code)
  sim = await startSim();
  zx = await startServer({ env: { ZX_SIM_URL: sim.url }, serveEnv: { ZX_PII_RELOAD_MS: '200', ZX_PUBLIC_RATE_PER_MIN: '100000' } });
  tok.clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  tok.judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  tok.chief = await zx.login('demo_chief_liao0102', PASSWORDS.demo);
  const judgeId = zx.users().find((u) => u.username === 'demo_judge_liao0102').id;
  const r = await zx.api('POST', '/api/v1/cases', {
    token: tok.clerk, body: {
      type_code: '执', applied_on: daysAgo(1), claim_fen: 1_200_000,
      basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初777号', effective_on: daysAgo(120) },
      conditions: CONDITIONS,
      parties: [{ role: 'applicant', kind: 'person', name: '秦守一', id_number: ID_APP, phone: PHONE, address: ADDRESS },
        { role: 'debtor', kind: 'person', name: '鲁怀远', id_number: ID_DEBT }],
    },
  });
  assert.equal(r.status, 201, r.text);
  caseId = r.json.id;
  const a = await zx.api('PUT', `/api/v1/cases/${caseId}/assignment`, { token: tok.clerk, body: { handler_id: judgeId } });
  assert.equal(a.status, 200, a.text);
});
after(async () => { try { await zx?.stop(); } finally { await sim?.stop(); } });

test('ID number, phone and address are not in the store file / dump; the API still answers them', async () => {
  const bytes = storeBytes();
  for (const v of [ID_APP, ID_DEBT, PHONE, ADDRESS]) assert.equal(bytes.indexOf(Buffer.from(v)), -1, `${v} found in the store`);
  // a demo party's number is not there either (read through the API by the handler, who may see it)
  const mine = await zx.api('GET', `/api/v1/cases/${caseId}`, { token: tok.judge });
  assert.equal(mine.status, 200, mine.text);
  const app = mine.json.parties.find((p) => p.role === 'applicant');
  assert.equal(app.id_number, ID_APP);
  assert.equal(app.phone, PHONE);
  assert.equal(app.address, ADDRESS);
  // masked for a caller who may not see it in full (mask from core/pii.h)
  const theirs = await zx.api('GET', `/api/v1/cases/${caseId}`, { token: tok.clerk });
  const t = theirs.json.parties.find((p) => p.role === 'applicant');
  assert.equal(t.id_number, `${ID_APP.slice(0, 10)}****${ID_APP.slice(14)}`);
  assert.equal(t.phone, `${PHONE.slice(0, 3)}****${PHONE.slice(7)}`);
  // the column holds a keyed blind index (64 hex), not the number; the sealed value is a blob
  const rows = zx.sql(`SELECT id_number, phone, address FROM case_party WHERE case_id = ${caseId} ORDER BY ord`);
  assert.match(rows[0].id_number, /^[0-9a-f]{64}$/);
  assert.equal(rows[0].phone, null);
  assert.equal(rows[0].address, null);
});

// A 居民身份证号码 (GB 11643 check character, birth date 1900–2099), not a unit's credit code.
function personId(v) {
  if (!/^\d{17}[\dX]$/.test(v) || !/^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(v.slice(6, 14))) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(v[i]) * w[i];
  return '10X98765432'[s % 11] === v[17];
}
// Every person's ID number the store holds sealed, opened with the key file: case parties, the roster and the
// credit tables (失信/限消 entries, decisions, the change feed — migration 042).
function sealedIds() {
  const k = readKeys(zx.keyFile);
  const q = [['case_party', 'id_number_enc'], ['special_subject', 'id_number_enc'], ['credit_entry', 'id_number_enc'],
    ['credit_decision', 'id_number_enc'], ['credit_change', 'id_number_enc'], ['credit_change', 'prev_id_number_enc'],
    ['credit_deletion', 'id_number_enc'], ['interception_report', 'id_number_enc']];
  const ids = new Set();
  for (const [t, c] of q) {
    for (let off = 0; ; off += 4000) { // pages: sqlite3's JSON output stays under spawnSync's buffer
      const rows = zx.sql(`SELECT ${hexSql(zx, c)} AS h FROM ${t} WHERE ${c} IS NOT NULL ORDER BY 1 LIMIT 4000 OFFSET ${off}`);
      for (const r of rows) {
        const v = openSealed(k, r.h);
        assert.ok(v, `${t}.${c} opens with the key file`);
        if (personId(v)) ids.add(v); // a unit's 统一社会信用代码 is public registration data (case_party.credit_code)
      }
      if (rows.length < 4000) break;
    }
  }
  return ids;
}

test('no listed person\'s ID number (失信/限消 entries, decisions, change feed) is in the store file / dump', async () => {
  const ids = sealedIds();
  const listed = zx.sql('SELECT COUNT(*) AS n FROM credit_entry')[0].n;
  assert.ok(Number(listed) > 0 && ids.size > Number(listed) / 2, `demo data lists people (${listed} entries, ${ids.size} IDs)`);
  for (const t of ['credit_entry', 'credit_decision', 'credit_change', 'credit_deletion', 'interception_report']) {
    const bad = zx.sql(`SELECT COUNT(*) AS n FROM ${t} WHERE LENGTH(id_number) <> 64`)[0].n;
    assert.equal(Number(bad), 0, `${t}.id_number holds blind indexes only`);
  }
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM credit_change WHERE data LIKE '%"id_number"%'`)[0].n), 0);
  // one pass over the bytes: every 18-character window of every run of digits/X is looked up
  const text = storeBytes().toString('latin1'), found = [];
  for (const m of text.matchAll(/[0-9X]{18,}/g))
    for (let i = 0; i + 18 <= m[0].length; i++) if (ids.has(m[0].slice(i, i + 18))) found.push(m[0].slice(i, i + 18));
  assert.deepEqual(found, [], `${found.length} ID numbers found in clear in the store`);
  // the public portal still finds a listed person by number and shows it masked
  const e = zx.sql(`SELECT ${hexSql(zx, 'id_number_enc')} AS h FROM credit_entry WHERE status = 'active' AND list = 'dishonest' AND person_kind = 'person' AND publish_on <= '${daysAgo(0)}' AND (term_end IS NULL OR term_end >= '${daysAgo(0)}')`)[0];
  const idn = openSealed(readKeys(zx.keyFile), e.h);
  const r = await get(`/api/v1/portal/credit/search?id_number=${idn}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.results.dishonest.items[0].id_number, `${idn.slice(0, 10)}****${idn.slice(14)}`);
  assert.ok(!r.text.includes(idn));
});

test('exact ID-number search through the blind index (lower-case x folded)', async () => {
  const r = await get(`/api/v1/cases?id_number=${ID_DEBT}`, tok.judge);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.some((c) => c.id === caseId), r.text);
  const q = await zx.api('GET', `/api/v1/cases?q=${ID_DEBT}`, { token: tok.judge });
  assert.ok(q.json.items.some((c) => c.id === caseId), q.text);
  const miss = await zx.api('GET', `/api/v1/cases?id_number=${ID_DEBT.slice(0, 17)}${ID_DEBT[17] === '1' ? '2' : '1'}`, { token: tok.judge });
  assert.ok(!miss.json.items.some((c) => c.id === caseId));
});

test('the key file is 0600 and outside the store; another key file is refused', async () => {
  const st = fs.statSync(zx.keyFile);
  assert.equal(st.mode & 0o777, 0o600);
  assert.match(fs.readFileSync(zx.keyFile, 'utf8'), /^index [0-9a-f]{64}$/m);
  const other = `${zx.keyFile}.other`;
  const r = zx.cli(['pii', 'status'], { env: { ZX_PII_KEY_FILE: other } });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /key/);
  const missing = `${zx.keyFile}.missing`;
  assert.ok(!fs.existsSync(missing), 'a store with keys never creates a fresh key file');
});

test('a store written in clear before migration 020 is sealed at start; key rotation re-seals while serving', async () => {
  // a legacy row: plain values in the old columns
  const pid = zx.sql(`SELECT CAST(id AS TEXT) AS id FROM case_party WHERE case_id = ${caseId} AND role = 'debtor'`)[0].id;
  zx.exec(`UPDATE case_party SET id_number = '${ID_DEBT}', phone = '13700001111', address = '沈阳市沈河区北站路1号', ` +
    `id_number_enc = NULL, phone_enc = NULL, address_enc = NULL WHERE id = ${pid}`);
  // … and a 失信/限消 entry and its change rows as written before migration 042
  const k = readKeys(zx.keyFile);
  const ce = zx.sql(`SELECT CAST(id AS TEXT) AS id, ${hexSql(zx, 'id_number_enc')} AS h FROM credit_entry WHERE person_kind = 'person' ORDER BY id LIMIT 1`)[0];
  const cid = openSealed(k, ce.h);
  zx.exec(`UPDATE credit_entry SET id_number = '${cid}', id_number_enc = NULL WHERE id = ${ce.id};
    UPDATE credit_change SET id_number = '${cid}', id_number_enc = NULL, data = '{"id_number":"${cid}","status":"active"}' WHERE entry_id = ${ce.id}`);
  const LEGACY_TABLES = ['case_party', 'credit_entry', 'credit_change'];
  const oldFiles = zx.kind === 'postgres'
    ? zx.sql(`SELECT pg_relation_filepath(t) AS f FROM (VALUES ${LEGACY_TABLES.map((t) => `('${t}'::regclass)`).join(', ')}) v(t)`).map((r) => r.f)
    : [];
  const seal = zx.cli(['pii', 'seal']);
  assert.equal(seal.code, 0, seal.stderr);
  // 剩余信息保护: the replaced clear values are gone from the files, not only from the live rows.
  const needles = [ID_DEBT, '13700001111', '沈阳市沈河区北站路1号', cid];
  if (zx.kind === 'postgres') {
    // VACUUM FULL rewrote each sealed table: new files; the old ones are emptied (unlinked at the
    // next checkpoint); the new heap, TOAST and index files hold none of the clear values. Read
    // server-side (pg_read_binary_file), so it works wherever the cluster runs.
    zx.exec('CHECKPOINT');
    const newFiles = zx.sql(`SELECT pg_relation_filepath(t) AS f FROM (VALUES ${LEGACY_TABLES.map((t) => `('${t}'::regclass)`).join(', ')}) v(t)`).map((r) => r.f);
    newFiles.forEach((f, i) => assert.notEqual(f, oldFiles[i], `${LEGACY_TABLES[i]} was not rewritten (VACUUM FULL)`));
    const list = (a) => a.map((x) => `'${x}'`).join(', ');
    const hits = zx.sql(`WITH t AS (SELECT c.oid, c.reltoastrelid FROM pg_class c WHERE c.oid IN (${LEGACY_TABLES.map((x) => `'${x}'::regclass`).join(', ')})),
      r AS (SELECT oid FROM t UNION SELECT reltoastrelid FROM t WHERE reltoastrelid <> 0),
      a AS (SELECT oid FROM r UNION SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM r))
      SELECT CAST(CAST(a.oid AS regclass) AS TEXT) AS rel, n.v AS needle FROM a, (VALUES ${needles.map((x) => `('${x}')`).join(', ')}) n(v)
      WHERE position(convert_to(n.v, 'UTF8') IN pg_read_binary_file(pg_relation_filepath(a.oid))) > 0
      UNION ALL
      SELECT f AS rel, n.v FROM (VALUES ${oldFiles.map((x) => `('${x}')`).join(', ')}) o(f)
        CROSS JOIN LATERAL (SELECT size FROM pg_stat_file(o.f, true)) st, (VALUES ${needles.map((x) => `('${x}')`).join(', ')}) n(v)
      WHERE st.size > 0 AND position(convert_to(n.v, 'UTF8') IN coalesce(pg_read_binary_file(o.f, 0, st.size, true), '')) > 0`);
    assert.deepEqual(hits, [], `clear values left in table files after sealing: ${JSON.stringify(hits)} (${list(needles)}); pii seal said:\n${seal.stdout}${seal.stderr}`);
  }
  const bytes = storeBytes(); // SQLite: the file and its WAL after the VACUUM; PostgreSQL: pg_dump
  for (const n of needles) assert.ok(!bytes.includes(Buffer.from(n)), `${n} left in the store after sealing`);
  const cr = zx.sql(`SELECT id_number, ${hexSql(zx, 'id_number_enc')} AS h FROM credit_entry WHERE id = ${ce.id}`)[0];
  assert.match(cr.id_number, /^[0-9a-f]{64}$/);
  assert.equal(openSealed(k, cr.h), cid);
  for (const ch of zx.sql(`SELECT id_number, data, ${hexSql(zx, 'id_number_enc')} AS h FROM credit_change WHERE entry_id = ${ce.id}`)) {
    assert.equal(ch.id_number, cr.id_number);
    assert.equal(openSealed(k, ch.h), cid);
    assert.ok(!ch.data.includes(cid), ch.data);
  }
  const row = zx.sql(`SELECT id_number, phone, address FROM case_party WHERE id = ${pid}`)[0];
  assert.match(row.id_number, /^[0-9a-f]{64}$/);
  assert.equal(row.phone, null);
  let r = await get(`/api/v1/cases/${caseId}`, tok.judge);
  const d = r.json.parties.find((p) => p.role === 'debtor');
  assert.equal(d.id_number, ID_DEBT);
  assert.equal(d.phone, '13700001111');
  assert.equal(d.address, '沈阳市沈河区北站路1号');

  // rotation: a new key version, every sealed value re-sealed; the running server reads them
  // (with its second pass after the servers' reload interval: a value the server sealed with the old
  // version in between — a background writer — is re-sealed too, so "0 left" holds on a busy store)
  const rot = zx.cli(['pii', 'rotate']);
  assert.equal(rot.code, 0, rot.stderr);
  assert.match(rot.stdout, /new key version 2/);
  assert.match(rot.stdout, /0 left on older versions/);
  assert.match(fs.readFileSync(zx.keyFile, 'utf8'), /^current 2$/m);
  r = await get(`/api/v1/cases/${caseId}`, tok.judge);
  assert.equal(r.json.parties.find((p) => p.role === 'applicant').id_number, ID_APP);
  const s = await get(`/api/v1/cases?id_number=${ID_APP}`, tok.judge);
  assert.ok(s.json.items.some((c) => c.id === caseId), 'the blind index does not change with a rotation');
  // retire version 1 once nothing uses it; the server keeps reading
  const ret = zx.cli(['pii', 'rotate', '--retire', '1']);
  assert.equal(ret.code, 0, ret.stderr);
  assert.doesNotMatch(fs.readFileSync(zx.keyFile, 'utf8'), /^key 1 /m);
  r = await get(`/api/v1/cases/${caseId}`, tok.judge);
  assert.equal(r.json.parties.find((p) => p.role === 'applicant').phone, PHONE);
  const st = zx.cli(['pii', 'status']);
  assert.match(st.stdout, /current key version: 2/);
  assert.match(st.stdout, /older version: 0/);
  // every sealed value of every table was re-sealed — a column the rotation does not know would keep
  // version 1 and could no longer be opened once it is retired (checked over the whole schema)
  const cols = zx.kind === 'postgres'
    ? zx.sql("SELECT CAST(table_name AS TEXT) AS tbl, CAST(column_name AS TEXT) AS col FROM information_schema.columns WHERE data_type = 'bytea' AND table_schema = current_schema()")
    : zx.sql("SELECT m.name AS tbl, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND upper(p.type) = 'BYTEA'");
  assert.ok(cols.length > 10, JSON.stringify(cols));
  const stale = [];
  for (const { tbl: t, col: c } of cols) {
    const head = zx.kind === 'postgres' ? `encode(substring(${c} from 1 for 8), 'hex')` : `lower(hex(substr(${c}, 1, 8)))`;
    const rows = zx.sql(`SELECT ${head} AS h FROM ${t} WHERE ${c} IS NOT NULL LIMIT 2000`);
    for (const { h } of rows) {
      const x = String(h).toLowerCase();
      if (!x.startsWith('5a5001')) continue; // not a sealed value (documents, signatures …)
      if (parseInt(x.slice(8, 16), 16) !== 2) { stale.push(`${t}.${c}`); break; }
    }
  }
  assert.deepEqual(stale, []);
});

// bin/zhixing ARGS --db URL, asynchronously (the server keeps serving while it runs).
function cliAsync(args) {
  return new Promise((resolve) => {
    const c = spawn(BIN, [...args, '--db', zx.dbUrl], { cwd: ROOT, env: zx.childEnv });
    let stdout = '', stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('blind-index key rotation online: a writer and a reader run throughout, every look-up finds its row; afterwards nothing is indexed under the old key', async () => {
  const k0 = readKeys(zx.keyFile);
  const e = zx.sql(`SELECT CAST(id AS TEXT) AS id, id_number, ${hexSql(zx, 'id_number_enc')} AS h FROM credit_entry WHERE status = 'active' AND list = 'dishonest' AND person_kind = 'person' AND publish_on <= '${daysAgo(0)}' AND (term_end IS NULL OR term_end >= '${daysAgo(0)}') ORDER BY id LIMIT 1`)[0];
  const idn = openSealed(k0, e.h);
  const partyIdx = zx.sql(`SELECT id_number FROM case_party WHERE case_id = ${caseId} AND role = 'debtor'`)[0].id_number;
  // a key file written before the stable key existed (no `stable` line): the query codes printed so
  // far derive from the index key; the rotation must keep them (it writes that key down as `stable`)
  fs.writeFileSync(zx.keyFile, fs.readFileSync(zx.keyFile, 'utf8').replace(/^stable [0-9a-f]{64}\n/m, ''));
  await sleep(500); // the server re-reads the key file (200 ms)
  assert.equal(readKeys(zx.keyFile).hasStable, false);
  const caseNo = (await get(`/api/v1/cases/${caseId}`, tok.judge)).json.case_no;
  const codesOf = async () => {
    const r = await get(`/api/v1/cases/${caseId}/portal-codes`, tok.judge);
    assert.equal(r.status, 200, r.text);
    return r.json.parties.find((p) => p.role === 'applicant');
  };
  const app0 = await codesOf();
  assert.equal(app0.query_code, queryCode(k0, app0.party_id, k0.index), 'the code printed so far derives from the index key');
  // the 特殊主体 roster: this file's debtor and the debtors the writer will file (a person on the
  // roster matches a debtor by blind index = blind index: a join of two blind-index columns)
  const writerId = (i) => idNumber('210104', `198001${pad(1 + (i % 28))}`, 100 + Math.floor(i / 28) % 900);
  const rosterIds = new Set([ID_DEBT]);
  for (let i = 0; i < 60; i++) rosterIds.add(writerId(i));
  const imp = await zx.api('POST', '/api/v1/credit/special-subjects/import', {
    token: tok.chief, body: { items: [...rosterIds].map((id, i) => ({ name: `名册${i}`, id_number: id, category: 'official' })) },
  });
  assert.equal(imp.status, 200, imp.text);
  assert.equal(imp.json.imported + imp.json.updated, rosterIds.size, imp.text);
  const roster = async () => {
    const r = await get('/api/v1/credit/special-subjects/matches', tok.judge);
    assert.equal(r.status, 200, r.text);
    return new Set(r.json.items.filter((x) => x.match === 'id_number').map((x) => x.debtor.case_id));
  };
  assert.ok((await roster()).has(caseId), 'the roster matches this file\'s debtor before the rotation');
  // writer: files cases with new debtors; reader: finds by ID number the case of this file, the last
  // debtors written, and the public 失信 list entry; and the roster report lists every debtor on the
  // roster, this file's and those written so far — before, during and after every phase
  let stop = false, reads = 0, n = 0;
  const written = [], misses = [];
  const found = async (idNo, want) => {
    const r = await get(`/api/v1/cases?id_number=${idNo}`, tok.clerk);
    return r.status === 200 && r.json.items.some((c) => c.id === want);
  };
  const writer = (async () => {
    while (!stop) {
      // a distinct debtor per filing: day of birth and sequence vary (a fast store files hundreds)
      const id = writerId(n);
      n++;
      const r = await zx.api('POST', '/api/v1/cases', {
        token: tok.clerk, body: {
          type_code: '执', applied_on: daysAgo(1), claim_fen: 500_000 + n,
          basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: `（2024）辽0102民初${900 + n}号`, effective_on: daysAgo(100) },
          conditions: CONDITIONS,
          parties: [{ role: 'applicant', kind: 'person', name: '秦守一', id_number: ID_APP },
            { role: 'debtor', kind: 'person', name: `轮换${n}`, id_number: id }],
        },
      });
      if (r.status === 201) written.push({ id, caseId: r.json.id });
      else misses.push(`filing ${r.status} ${r.text}`);
      await sleep(25);
    }
  })();
  const reader = (async () => {
    while (!stop) {
      if (!(await found(ID_DEBT, caseId))) misses.push(`case of ${ID_DEBT} not found (read ${reads})`);
      for (const w of written.slice(-2)) if (!(await found(w.id, w.caseId))) misses.push(`case of ${w.id} not found (read ${reads})`);
      const p = await get(`/api/v1/portal/credit/search?id_number=${idn}`);
      if (!(p.status === 200 && p.json.results.dishonest.items.length > 0)) misses.push(`失信 entry not found (read ${reads}): ${p.text}`);
      const listed = written.filter((w) => rosterIds.has(w.id)), m = await roster();
      for (const w of [{ id: ID_DEBT, caseId }, ...listed]) if (!m.has(w.caseId)) misses.push(`roster match of ${w.id} missing (read ${reads})`);
      reads++;
    }
  })();
  await sleep(300);
  const out = await cliAsync(['pii', 'rotate', '--index']);
  await sleep(600); // the server re-reads the finished key file (200 ms) and keeps finding
  stop = true;
  await Promise.all([writer, reader]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /phase 1: next index key [0-9a-f]{32} announced/);
  assert.match(out.stdout, /phase 2: new blind indexes are written under the next key/);
  assert.match(out.stdout, /blind-index key rotated online: \d+ values re-indexed in batches while serving, 0 left under the old key/);
  assert.deepEqual(misses, [], misses.slice(0, 5).join('\n'));
  assert.ok(written.length >= 3 && reads >= 3, `writes ${written.length}, reads ${reads}`);
  const k1 = readKeys(zx.keyFile);
  assert.notDeepEqual(k1.index, k0.index);
  assert.doesNotMatch(fs.readFileSync(zx.keyFile, 'utf8'), /^index_(next|phase) /m);
  // nothing is indexed under the old key: every row of these columns holds the new key's index of its
  // own sealed value — the rows written during the rotation included
  const row = zx.sql(`SELECT id_number FROM credit_entry WHERE id = ${e.id}`)[0];
  assert.equal(row.id_number, blindIndex(k1, idn));
  assert.notEqual(row.id_number, e.id_number);
  assert.notEqual(zx.sql(`SELECT id_number FROM case_party WHERE case_id = ${caseId} AND role = 'debtor'`)[0].id_number, partyIdx);
  for (const [t, c, s] of [['credit_entry', 'id_number', 'id_number_enc'], ['credit_change', 'id_number', 'id_number_enc'], ['case_party', 'id_number', 'id_number_enc']]) {
    for (let off = 0; ; off += 2000) { // pages: the sqlite3/psql output stays small
      const rows = zx.sql(`SELECT ${c} AS i, ${hexSql(zx, s)} AS h FROM ${t} WHERE ${s} IS NOT NULL ORDER BY 1 LIMIT 2000 OFFSET ${off}`);
      for (const r of rows) {
        const v = openSealed(k1, r.h);
        assert.equal(r.i, blindIndex(k1, v), `${t}.${c}`);
        assert.notEqual(r.i, blindIndex(k0, v), `${t}.${c} still under the old key`);
      }
      if (rows.length < 2000) break;
    }
  }
  // every case filed during the rotation, whichever phase it was written in, is found by number
  for (const w of written) assert.ok(await found(w.id, w.caseId), `case of ${w.id} not found after the rotation`);
  const m1 = await roster();
  for (const w of written.filter((x) => rosterIds.has(x.id))) assert.ok(m1.has(w.caseId), `roster match of ${w.id} missing after the rotation`);
  // the query code printed before the rotation: the key file now keeps the old index key as `stable`,
  // the same code is printed, and it still signs the party in (query code + SMS one-time code)
  assert.equal(k1.stable.toString('hex'), k0.index.toString('hex'));
  assert.equal((await codesOf()).query_code, app0.query_code);
  const sms = async () => (await sim.api('GET', `/sms/v1/messages?to=${PHONE}`)).json.items.filter((x) => x.template === 'portal_otp');
  const before0 = (await sms()).length;
  const li = await zx.api('POST', '/api/v1/portal/party/login', { body: { case_no: caseNo, query_code: app0.query_code } });
  assert.equal(li.status, 200, li.text);
  let otp = null;
  for (let i = 0; i < 100 && !otp; i++) {
    const items = await sms();
    if (items.length > before0) otp = /验证码：(\d{6})/.exec(items[items.length - 1].text)[1];
    else await sleep(100);
  }
  assert.ok(otp, 'no one-time code arrived at the simulated gateway');
  const v = await zx.api('POST', '/api/v1/portal/party/verify', { body: { login_id: li.json.login_id, code: otp } });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.role, 'applicant');
  // one audit record names the rotation (no key material)
  const a = zx.sql("SELECT username, detail FROM audit_log WHERE action = 'pii.index_rotate'");
  assert.equal(a.length, 1);
  assert.match(a[0].username, /^cli:/);
  assert.match(a[0].detail, /"new_fingerprint":"[0-9a-f]{32}","online":true/);
  // after a restart partners and the portal still find, and the same query code is printed
  await zx.restart(() => {});
  assert.equal((await codesOf()).query_code, app0.query_code);
  const s = await get(`/api/v1/cases?id_number=${ID_DEBT}`, tok.judge);
  assert.ok(s.json.items.some((c) => c.id === caseId), s.text);
  const p = await get(`/api/v1/portal/credit/search?id_number=${idn}`);
  assert.ok(p.json.results.dishonest.items.length > 0, p.text);
  // a crash after the store transaction committed, before the key file was finalised (the store
  // records the next key's fingerprint, the file still has index_next): the next start finishes it
  const k2 = crypto.randomBytes(32).toString('hex');
  const fp2 = crypto.createHmac('sm3', Buffer.from(k2, 'hex')).update('zx-pii-fingerprint').digest('hex').slice(0, 32);
  fs.appendFileSync(zx.keyFile, `index_next ${k2}\n`);
  zx.exec(`UPDATE pii_key SET fingerprint = '${fp2}' WHERE version = 0`);
  const st = zx.cli(['pii', 'status']);
  assert.equal(st.code, 0, st.stderr);
  const txt = fs.readFileSync(zx.keyFile, 'utf8');
  assert.match(txt, new RegExp(`^index ${k2}$`, 'm'));
  assert.doesNotMatch(txt, /^index_next /m);
});
