// credit_partner.test.mjs — the credit engine from outside (issue 5 Contract; docs/api/credit.md):
// partner check / batch / stream contract and codes, 401/403 scopes, category semantics, grace
// period, change-feed sync reproducing the list, a new listing visible to partners within a second,
// interception reports and statistics, query log, public portal masking and rate limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ROLE } from './lib.mjs';
import { readKeys, openSealed, hexSql, seal, blindIndex, blobSql } from './pii_keys.mjs';

let zx, keys = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// GB 11643 MOD 11-2 check character.
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idWithCheck(first17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * W[i];
  return first17 + '10X98765432'[s % 11];
}
function today() {
  // Asia/Shanghai date
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

async function partner(name, scopes) {
  const token = await zx.login(zx.creds.secadmin.username, zx.creds.secadmin.password);
  const r = await zx.api('POST', '/api/v1/partners', { token, body: { name, kind: 'airline', scopes } });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.api_key, /^zxk_[0-9a-f]{64}$/);
  return r.json.api_key;
}

const check = (key, body) => zx.api('POST', '/api/v1/credit/check', { token: key, body });

before(async () => {
  zx = await startServer();
  keys.check = await partner('航空公司A', ['credit:check']);
  keys.feed = await partner('铁路B', ['credit:feed']);
  keys.report = await partner('航空公司C', ['credit:report']);
  keys.all = await partner('综合D', ['credit:check', 'credit:feed', 'credit:report', 'credit:bulk']);
});
after(async () => { await zx?.stop(); });

// credit_entry.id_number holds the blind index and id_number_enc the sealed number (migration 042):
// rows come back with idx = the index and id_number = the number opened with the store's key file.
function plain(rows) {
  const k = readKeys(zx.keyFile);
  return rows.map((r) => ({ ...r, idx: r.id_number, id_number: openSealed(k, r.enc) }));
}
function effective(where = '') {
  const d = today();
  return plain(zx.sql(`SELECT CAST(id AS TEXT) AS id, list, id_number, ${hexSql(zx, 'id_number_enc')} AS enc, case_no, court_code, categories, publish_on FROM credit_entry
    WHERE status = 'active' AND publish_on <= '${d}' AND (term_end IS NULL OR term_end >= '${d}') ${where} ORDER BY id LIMIT 1000`)); // (sqlite3's output stays under spawnSync's buffer)
}

test('check: a listed 失信 debtor → 200 block with basis and list_version (exact contract)', async () => {
  const e = effective("AND list = 'dishonest'")[0];
  assert.ok(e, 'demo data has an effective dishonest entry');
  const r = await check(keys.check, { id_number: e.id_number, name: '某某', category: 'flight' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['basis', 'decision', 'list_version']);
  assert.equal(r.json.decision, 'block');
  assert.ok(Number.isInteger(r.json.list_version) && r.json.list_version > 0);
  // a 终本 debtor is both listed (失信) and restricted (限消) on the same case: one basis item each
  const b = r.json.basis.find((x) => x.case_no === e.case_no && x.list === 'dishonest');
  assert.ok(b, JSON.stringify(r.json));
  assert.deepEqual(Object.keys(b).sort(), ['case_no', 'court', 'list', 'since']);
  assert.equal(b.court, e.court_code);
  assert.equal(b.since, e.publish_on);
  assert.match(b.since, /^\d{4}-\d{2}-\d{2}$/);
});

test('check: unlisted valid ID → allow with empty basis; lowercase x accepted', async () => {
  const id = idWithCheck('11010519491231002');
  const r = await check(keys.check, { id_number: id.toLowerCase(), category: 'flight' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.decision, 'allow');
  assert.deepEqual(r.json.basis, []);
});

test('check: invalid ID → 400 INVALID_ID_NUMBER; unknown category → 400 UNKNOWN_CATEGORY; bad JSON → 400', async () => {
  const good = idWithCheck('11010519700101123');
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  for (const id of [bad, '123', '', '11010519700230123X']) {
    const r = await check(keys.check, { id_number: id, category: 'flight' });
    assert.equal(r.status, 400, `${id}: ${r.text}`);
    assert.equal(r.json.error.code, 'INVALID_ID_NUMBER');
  }
  const r2 = await check(keys.check, { id_number: good, category: 'spaceflight' });
  assert.equal(r2.status, 400);
  assert.equal(r2.json.error.code, 'UNKNOWN_CATEGORY');
  const r3 = await zx.api('POST', '/api/v1/credit/check', { token: keys.check, body: '{"id_number":', headers: { 'content-type': 'application/json' } });
  assert.equal(r3.status, 400);
  assert.equal(r3.json.error.code, 'BAD_JSON');
});

test('check: missing key → 401, unknown key → 401, key without credit:check → 403', async () => {
  const body = { id_number: idWithCheck('11010519700101123'), category: 'flight' };
  assert.equal((await zx.api('POST', '/api/v1/credit/check', { body })).status, 401);
  assert.equal((await check('zxk_' + '0'.repeat(64), body)).status, 401);
  const r = await check(keys.report, body);
  assert.equal(r.status, 403, r.text);
  assert.equal((await check(keys.feed, body)).status, 403);
});

test('category semantics: 限消 and 失信 both block all nine items of art 3 (no partial 限消 order, issue 9)', async () => {
  const cats = (await zx.api('GET', '/api/v1/credit/categories')).json.categories.map((c) => c.code);
  assert.ok(cats.includes('flight'));
  assert.equal(new Set((await zx.api('GET', '/api/v1/credit/categories')).json.categories.map((c) => c.item)).size, 9);
  const d = effective("AND list = 'dishonest'")[0];
  for (const c of cats) assert.equal((await check(keys.check, { id_number: d.id_number, category: c })).json.decision, 'block', c);
  const r = effective("AND list = 'restricted'").find((e) => effective(`AND id_number = '${e.idx}'`).length === 1);
  assert.ok(r, 'demo has a 限消-only entry');
  for (const c of cats) assert.equal((await check(keys.check, { id_number: r.id_number, category: c })).json.decision, 'block', c);
});

test('宽限期: an entry in its grace period is not visible to partners', async () => {
  const g = plain(zx.sql(`SELECT id_number, ${hexSql(zx, 'id_number_enc')} AS enc FROM credit_entry WHERE status = 'grace'`));
  assert.ok(g.length > 0);
  for (const { id_number, idx } of g.slice(0, 5)) {
    if (effective(`AND id_number = '${idx}'`).length) continue; // listed elsewhere too
    const r = await check(keys.check, { id_number, category: 'flight' });
    assert.equal(r.json.decision, 'allow', id_number);
  }
});

test('check-batch: results in request order, per-item errors inline, one list_version; > 10,000 → 400', async () => {
  const listed = effective("AND list = 'dishonest'").slice(0, 3);
  const items = [];
  for (let i = 0; i < 300; i++) {
    if (i % 100 === 5) items.push({ ref: `r${i}`, id_number: 'bogus', category: 'flight' });
    else if (i % 100 === 6) items.push({ ref: `r${i}`, id_number: listed[0].id_number, category: 'moon' });
    else if (i % 10 === 0) items.push({ ref: `r${i}`, id_number: listed[(i / 10) % listed.length].id_number, category: 'flight' });
    else items.push({ ref: `r${i}`, id_number: idWithCheck(String(11010519500101000 + i * 7).padStart(17, '0')), category: 'hotel' });
  }
  const r = await zx.api('POST', '/api/v1/credit/check-batch', { token: keys.check, body: { items } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.results.length, items.length);
  assert.ok(Number.isInteger(r.json.list_version));
  r.json.results.forEach((res, i) => {
    assert.equal(res.ref, items[i].ref);
    if (i % 100 === 5) assert.equal(res.error.code, 'INVALID_ID_NUMBER');
    else if (i % 100 === 6) assert.equal(res.error.code, 'UNKNOWN_CATEGORY');
    else if (i % 10 === 0) { assert.equal(res.decision, 'block'); assert.ok(res.basis.length >= 1); }
    else if (!res.error) assert.ok(['allow', 'block'].includes(res.decision));
  });
  const big = { items: Array.from({ length: 10001 }, (_, i) => ({ ref: String(i), id_number: '1', category: 'flight' })) };
  const r2 = await zx.api('POST', '/api/v1/credit/check-batch', { token: keys.check, body: big });
  assert.equal(r2.status, 400, r2.text.slice(0, 200));
  assert.equal(r2.json.error.code, 'TOO_MANY_ITEMS');
  const ok10k = { items: Array.from({ length: 10000 }, (_, i) => ({ ref: String(i), id_number: listed[0].id_number, category: 'flight' })) };
  const r3 = await zx.api('POST', '/api/v1/credit/check-batch', { token: keys.check, body: ok10k });
  assert.equal(r3.status, 200);
  assert.equal(r3.json.results.length, 10000);
  assert.equal(r3.json.results[9999].ref, '9999');
});

test('check-stream: CSV and NDJSON bulk (scope credit:bulk)', async () => {
  const entry = effective("AND list = 'dishonest'")[0];
  const listed = entry.id_number;
  const free = idWithCheck('11010519491231002');
  const csv = `ref,id_number,category\na1,${listed},flight\na2,${free},flight\na3,xx,flight\n${listed}\n`;
  const r = await zx.api('POST', '/api/v1/credit/check-stream?category=hotel', { token: keys.all, body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  const lines = r.text.trim().split('\n');
  assert.equal(lines[0], 'ref,decision,basis');
  assert.match(lines[1], /^a1,block,/);
  // basis field: list:case_no:court:since for each blocking entry, ';'-separated
  const basis = lines[1].slice('a1,block,'.length).split(';');
  assert.ok(basis.includes(`dishonest:${entry.case_no}:${entry.court_code}:${entry.publish_on}`), lines[1]);
  assert.ok(basis.every((x) => /^(dishonest|restricted):[^:]+:[^:]+:\d{4}-\d{2}-\d{2}$/.test(x)), lines[1]);
  assert.equal(lines[2], 'a2,allow,');
  assert.equal(lines[3], 'a3,error,INVALID_ID_NUMBER');
  assert.match(lines[4], /^5,block,/); // line number as ref
  assert.ok(Number(r.headers.get ? r.headers.get('x-list-version') : r.headers['x-list-version']) > 0);
  const nd = `{"ref":"n1","id_number":"${listed}","category":"flight"}\n{"ref":"n2","id_number":"${free}"}\n`;
  const r2 = await zx.api('POST', '/api/v1/credit/check-stream', { token: keys.all, body: nd, headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(r2.status, 200, r2.text);
  const out = r2.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out[0].ref, 'n1');
  assert.equal(out[0].decision, 'block');
  assert.equal(out[1].decision, 'allow');
  assert.ok(out[2].list_version > 0);
  assert.equal(out[2].count, 2);
  const r3 = await zx.api('POST', '/api/v1/credit/check-stream', { token: keys.check, body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r3.status, 403);
});

async function syncAll(key, after = 0, limit = 7, local = new Map()) {
  let version;
  for (;;) {
    const r = await zx.api('GET', `/api/v1/credit/changes?after=${after}&limit=${limit}`, { token: key });
    assert.equal(r.status, 200, r.text);
    version = r.json.list_version;
    for (const c of r.json.changes) {
      assert.ok(c.seq > after, 'ordered');
      assert.ok(['listed', 'lifted', 'deleted', 'corrected', 'revoked'].includes(c.action), c.action);
      if (c.previous_id_number) for (const [k, v] of local) if (v.entry_id === c.entry.entry_id) local.delete(k);
      if (c.effect === 'upsert') local.set(String(c.entry.entry_id), c.entry);
      else local.delete(String(c.entry.entry_id));
      after = c.seq;
    }
    if (r.json.next <= after && r.json.changes.length === 0) break;
    after = r.json.next;
  }
  return { local, after, version };
}

test('change feed: replaying from cursor 0 reproduces exactly the published list', async () => {
  const { local, after, version } = await syncAll(keys.feed);
  assert.equal(after, version, 'cursor reaches list_version');
  const want = zx.sql("SELECT CAST(id AS TEXT) AS id FROM credit_entry WHERE status = 'active'").map((x) => x.id).sort();
  assert.deepEqual([...local.keys()].sort(), want);
  // nothing in its grace period leaked
  const grace = new Set(zx.sql("SELECT CAST(id AS TEXT) AS id FROM credit_entry WHERE status = 'grace'").map((x) => x.id));
  for (const k of local.keys()) assert.ok(!grace.has(k));
  // the feed is also open to credit:check keys; other scopes → 403
  assert.equal((await zx.api('GET', '/api/v1/credit/changes?after=0', { token: keys.check })).status, 200);
  assert.equal((await zx.api('GET', '/api/v1/credit/changes?after=0', { token: keys.report })).status, 403);
  assert.equal((await zx.api('GET', '/api/v1/credit/changes?after=-1', { token: keys.feed })).status, 400);
});

test('a listing committed in the store reaches partners within a second, with a higher list_version, and the feed shows it', async () => {
  const before = (await syncAll(keys.feed));
  const id = idWithCheck('44010619880808123');
  const d = today();
  const eid = '777000000000000001';
  const data = JSON.stringify({ id: 0, list: 'dishonest', case_no: '（2026）粤0106执1号', court_code: '粤0106', person_kind: 'person', name: '测试', status: 'active', publish_on: d, decided_on: d, status_on: d, ground: 1 }).replace('"id":0', `"id":${eid}`); // 64-bit id as an exact JSON number
  // the number is stored as its blind index + sealed value (migration 042), as the server writes it
  const k = readKeys(zx.keyFile), idx = blindIndex(k, id), enc = blobSql(zx, seal(k, id));
  zx.exec(`INSERT INTO credit_entry (id, list, case_no, court_code, person_kind, name, name_norm, id_number, id_number_enc, ground, decided_on, publish_on, status, status_on, created_ms, updated_ms, version)
    VALUES (${eid}, 'dishonest', '（2026）粤0106执1号', '粤0106', 'person', '测试', '测试', '${idx}', ${enc}, 1, '${d}', '${d}', 'active', '${d}', 0, 0, 1);
    UPDATE credit_change_head SET seq = seq + 1 WHERE id = 1;
    INSERT INTO credit_change (seq, at_ms, entry_id, action, list, id_number, id_number_enc, data)
      SELECT seq, ${Date.now()}, ${eid}, 'listed', 'dishonest', '${idx}', ${enc}, '${data.replace(/'/g, "''")}' FROM credit_change_head WHERE id = 1;`);
  const t0 = Date.now();
  let r;
  for (;;) {
    r = await check(keys.check, { id_number: id, category: 'flight' });
    if (r.json.decision === 'block' || Date.now() - t0 > 3000) break;
    await sleep(50);
  }
  assert.equal(r.json.decision, 'block');
  assert.ok(Date.now() - t0 <= 1500, `visible after ${Date.now() - t0} ms`);
  assert.ok(r.json.list_version > before.version);
  const after = await syncAll(keys.feed, before.after, 100, before.local);
  assert.ok(after.local.has(eid));
  assert.equal(after.local.get(eid).id_number, id);
});

test('interceptions: partners report blocked purchases; command center sees "限制乘坐飞机 N 人次"', async () => {
  const id = effective("AND list = 'dishonest'")[0].id_number;
  const now = Date.now();
  const body = { reports: [
    { ref: 'T1', id_number: id, category: 'flight', at_ms: now },
    { ref: 'T2', id_number: id, category: 'flight', at_ms: now },
    { ref: 'T3', id_number: id, category: 'flight', at_ms: now, count: 2 },
    { ref: 'H1', id_number: id, category: 'hotel' },
  ] };
  const r = await zx.api('POST', '/api/v1/credit/interceptions', { token: keys.report, body });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.accepted, 4);
  const again = await zx.api('POST', '/api/v1/credit/interceptions', { token: keys.report, body });
  assert.equal(again.json.accepted, 0);
  assert.equal(again.json.duplicates, 4);
  const bad = await zx.api('POST', '/api/v1/credit/interceptions', { token: keys.report, body: { id_number: id, category: 'moon' } });
  assert.equal(bad.status, 400);
  assert.equal((await zx.api('POST', '/api/v1/credit/interceptions', { token: keys.check, body: body.reports[0] })).status, 403);
  const u = zx.userByRole(ROLE.command);
  const token = await zx.login(u.username, zx.creds.demoPassword || 'Demo-Pass#2024t');
  const s = await zx.api('GET', '/api/v1/credit/interceptions/stats', { token });
  assert.equal(s.status, 200, s.text);
  const f = s.json.by_category.find((x) => x.category === 'flight');
  assert.equal(f.count, 4);
  assert.equal(f.text, '限制乘坐飞机 4 人次');
  assert.equal(s.json.by_partner[0].partner, '航空公司C');
  assert.equal(s.json.total, 5);
  assert.equal((await zx.api('GET', '/api/v1/credit/interceptions/stats', { token: keys.all })).status, 401);
});

test('query log: partner checks are recorded (counts and digests, no ID numbers) within ~2 s', async () => {
  const id = effective()[0].id_number;
  for (let i = 0; i < 5; i++) await check(keys.all, { id_number: id, category: 'flight' });
  const t0 = Date.now();
  let rows = [];
  while (Date.now() - t0 < 4000) {
    rows = zx.sql("SELECT n_queries, n_blocked, endpoint FROM partner_query_log WHERE endpoint = 'check'");
    if (rows.reduce((a, x) => a + Number(x.n_queries), 0) >= 5) break;
    await sleep(200);
  }
  const n = rows.reduce((a, x) => a + Number(x.n_queries), 0);
  assert.ok(n >= 5, `logged ${n}`);
  assert.ok(rows.reduce((a, x) => a + Number(x.n_blocked), 0) >= 5);
});

test('public query: by ID (masked first 10 + **** + last 4) and by name (traditional folds to simplified)', async () => {
  const e = plain(zx.sql(`SELECT id_number, ${hexSql(zx, 'id_number_enc')} AS enc, name FROM credit_entry WHERE status = 'active' AND list = 'dishonest' AND person_kind = 'person' AND publish_on <= '${today()}' AND (term_end IS NULL OR term_end >= '${today()}')`))[0];
  const r = await zx.api('GET', `/api/v1/portal/credit/search?id_number=${e.id_number}`);
  assert.equal(r.status, 200, r.text);
  assert.ok(!r.text.includes(e.id_number), 'full ID never in a public answer');
  const it = r.json.results.dishonest.items[0];
  assert.equal(it.id_number, e.id_number.slice(0, 10) + '****' + e.id_number.slice(14));
  assert.equal(it.name, e.name);
  for (const k of ['sex', 'age', 'case_no', 'court', 'obligation', 'performance', 'filed_on']) assert.ok(k in it, k);
  assert.ok(!('birth_date' in it) && !('created_ms' in it));
  const trad = zx.sql("SELECT name FROM credit_entry WHERE name = '張偉' AND status = 'active'");
  if (trad.length) {
    const r2 = await zx.api('GET', `/api/v1/portal/credit/dishonest?name=${encodeURIComponent('张伟')}`);
    assert.equal(r2.status, 200, r2.text);
    assert.ok(r2.json.results.dishonest.items.some((x) => x.name === '張偉'));
  }
  assert.equal((await zx.api('GET', '/api/v1/portal/credit/search?id_number=123')).json.error.code, 'INVALID_ID_NUMBER');
  assert.equal((await zx.api('GET', '/api/v1/portal/credit/nolist?name=abc')).status, 404);
});

test('public query is rate-limited per client address: 429 RATE_LIMITED with Retry-After', async () => {
  const z2 = await startServer({ serveEnv: { ZX_PUBLIC_RATE_PER_MIN: '3' } });
  try {
    const q = `/api/v1/portal/credit/search?id_number=${idWithCheck('11010519491231002')}`;
    for (let i = 0; i < 3; i++) assert.equal((await z2.api('GET', q)).status, 200);
    const r = await z2.api('GET', q);
    assert.equal(r.status, 429, r.text);
    assert.equal(r.json.error.code, 'RATE_LIMITED');
    const ra = r.headers.get ? r.headers.get('retry-after') : r.headers['retry-after'];
    assert.ok(Number(ra) >= 1 && Number(ra) <= 60, String(ra));
  } finally {
    await z2.stop();
  }
});
