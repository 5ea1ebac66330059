// rules_demo.test.mjs — demo data obeys the rules (issue 9 item 7): `zhixing init --demo` and
// `zhixing demo credit` generate only lawful records — 限消 orders over all nine items (限消规定 art 3),
// terms of 2 years + 0–3 counted from publication (失信规定 art 2), conduct matching its ground (art 6),
// dates in order (filed → decided → served → published, never effective before issued), and every
// generated listed person blocked for every category at a partner's check. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';
import { readKeys, openSealed, hexSql } from './pii_keys.mjs';

let zx, key;
const CATS = ['flight', 'train_sleeper', 'ship_cabin', 'hotel', 'real_estate', 'office_rent', 'vehicle', 'travel',
  'private_school', 'insurance_wealth', 'high_speed_rail', 'other_nonessential'];
const GROUND_WORD = { 1: /拒不履行/, 2: /暴力|威胁|妨碍|抗拒|伪造/, 3: /转让|转移|隐匿|虚假|规避/, 4: /报告/, 5: /限制消费|限消|飞机|高铁/, 6: /和解/ };
const addYears = (s, n) => {
  const [y, m, d] = s.split('-').map(Number);
  const last = new Date(Date.UTC(y + n, m, 0)).getUTCDate();
  return `${y + n}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

before(async () => {
  zx = await startServer();
  const out = zx.cli(['partner', 'add', '--name', '演示核查', '--scopes', 'credit:check']);
  assert.equal(out.code, 0, out.stderr);
  key = out.stdout.trim().split('\n').pop().trim();
});
after(async () => { await zx?.stop(); });

function lawful(rows) {
  assert.ok(rows.length > 100, `${rows.length} entries`);
  for (const e of rows) {
    const tag = `${e.name} ${e.case_no} ${e.list}`;
    if (e.list === 'restricted') assert.ok(!e.categories, `${tag}: all nine items, got ${e.categories}`);
    assert.ok(!e.filed_on || e.filed_on <= e.decided_on, `${tag}: filed ${e.filed_on} ≤ decided ${e.decided_on}`);
    assert.ok(!e.served_on || e.decided_on <= e.served_on, `${tag}: decided ≤ served`);
    assert.ok(e.publish_on >= (e.served_on || e.decided_on), `${tag}: not effective before issued`);
    if (e.list !== 'dishonest') continue;
    const g = Number(e.ground);
    assert.ok(g >= 1 && g <= 6, tag);
    assert.match(e.conduct || '', GROUND_WORD[g], `${tag}: conduct "${e.conduct}" fits ground ${g}`);
    if (g === 1) { assert.ok(!e.term_end, `${tag}: ground 1 has no term`); continue; }
    const ext = Number(e.extension_years || 0);
    assert.ok(ext >= 0 && ext <= 3, tag);
    assert.equal(e.term_end, addYears(e.publish_on, 2 + ext), `${tag}: term = publication + ${2 + ext} years`);
  }
}
const COLS = 'list, name, case_no, ground, categories, conduct, filed_on, decided_on, served_on, publish_on, term_end, extension_years, status, id_number';

test('init --demo: every credit entry is lawful', async () => {
  // in pages: the 终本 cases' orders make the whole table larger than one sqlite3 output buffer
  const rows = [];
  for (let off = 0, page; off === 0 || page.length === 2000; off += 2000) {
    page = zx.sql(`SELECT ${COLS} FROM credit_entry ORDER BY id LIMIT 2000 OFFSET ${off}`);
    rows.push(...page);
  }
  lawful(rows);
});

test('init --demo: every 终本 case is backed by a served 限消 order over all nine items, dated by its closure; its events in date order (终本规定 art 1(2))', async () => {
  const cases = zx.sql("SELECT id, case_no, closed_on FROM enf_case WHERE closure_mode = 'interim_closure'");
  assert.ok(cases.length > 50, `${cases.length} 终本 cases`);
  // debtors of 终本 cases without a 院长-signed, served, all-nine-items 限消 decision on or before the closure date
  const unbacked = zx.sql(`SELECT k.case_no, p.name FROM enf_case k JOIN case_party p ON p.case_id = k.id AND p.role = 'debtor'
    WHERE k.closure_mode = 'interim_closure' AND NOT EXISTS (SELECT 1 FROM credit_decision d JOIN app_user u ON u.id = d.approved_by
      WHERE d.case_id = k.id AND d.party_id = p.id AND d.list = 'restricted' AND d.status = 'effective'
      AND (d.categories IS NULL OR d.categories = '') AND (u.roles & 64) <> 0
      AND d.decided_on <= d.approved_on AND d.approved_on <= d.served_on AND d.served_on <= k.closed_on)`);
  assert.deepEqual(unbacked.slice(0, 5), [], `${unbacked.length} debtors of 终本 cases without a served 限消 order`);
  // no bare restriction_order event standing in for the credit module on a 终本 case
  const bare = zx.sql(`SELECT COUNT(*) AS n FROM case_event e JOIN enf_case k ON k.id = e.case_id
    WHERE k.closure_mode = 'interim_closure' AND e.kind = 'restriction_order'`);
  assert.equal(Number(bare[0].n), 0);
  // a 失信 listing recorded in the case log is a real one, effective by the closure date
  const listedNoDecision = zx.sql(`SELECT k.case_no FROM enf_case k JOIN case_event e ON e.case_id = k.id AND e.kind = 'dishonest_listing_recorded'
    WHERE k.closure_mode = 'interim_closure' AND e.data LIKE '%"listed":true%' AND NOT EXISTS (SELECT 1 FROM credit_decision d
      WHERE d.case_id = k.id AND d.list = 'dishonest' AND d.status = 'effective' AND d.served_on <= k.closed_on)`);
  assert.deepEqual(listedNoDecision.slice(0, 5), []);
  // events of each 终本 case in date order (seq order = date order)
  const disorder = zx.sql(`SELECT k.case_no, a.seq, a.on_date AS a_on, a.kind AS a_kind, b.on_date AS b_on, b.kind AS b_kind
    FROM case_event a JOIN case_event b ON b.case_id = a.case_id AND b.seq = a.seq + 1 JOIN enf_case k ON k.id = a.case_id
    WHERE k.closure_mode = 'interim_closure' AND b.on_date < a.on_date`);
  assert.deepEqual(disorder.slice(0, 5), [], `${disorder.length} events out of date order`);
});

test('every listed person who is published is blocked for every category', async () => {
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  // id_number holds the blind index, id_number_enc the sealed number (migration 042): open it with the key file
  const keys = readKeys(zx.keyFile);
  const rows = zx.sql(`SELECT ${hexSql(zx, 'id_number_enc')} AS enc, list FROM credit_entry WHERE status = 'active' AND publish_on <= '${today}'
    AND (term_end IS NULL OR term_end >= '${today}') AND (permit_to IS NULL OR permit_to < '${today}') ORDER BY id_number`)
    .map((r) => ({ ...r, id_number: openSealed(keys, r.enc) }));
  assert.ok(rows.every((r) => r.id_number), 'every sealed ID number opens with the key file');
  const sample = rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / 15)) === 0).slice(0, 15);
  assert.ok(sample.length >= 5, `${rows.length} published`);
  for (const e of sample)
    for (const category of CATS) {
      const r = await zx.api('POST', '/api/v1/credit/check', { token: key, body: { id_number: e.id_number, category } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.decision, 'block', `${e.id_number} (${e.list}) ${category}: ${r.text}`);
    }
});

test('demo credit --count: every bulk entry is lawful', async () => {
  const before = Number(zx.sql('SELECT COUNT(*) AS n FROM credit_entry')[0].n);
  const gen = zx.cli(['demo', 'credit', '--count', '1500', '--seed', '7']);
  assert.equal(gen.code, 0, gen.stderr);
  assert.equal(Number(zx.sql('SELECT COUNT(*) AS n FROM credit_entry')[0].n), before + 1500);
  lawful(zx.sql(`SELECT ${COLS} FROM credit_entry ORDER BY id DESC LIMIT 1500`)); // the bulk rows (ids count up)
});

test('init --demo: every 限消 on an open case is a real credit decision — all nine items, signed by the 院长, in date order (限消规定 arts 3, 5); no bare case event', async () => {
  // no case event "restriction_order" written without the credit module, open or closed
  assert.equal(Number(zx.sql("SELECT COUNT(*) AS n FROM case_event WHERE kind = 'restriction_order'")[0].n), 0);
  // open cases carry their orders as decisions: many of them, each effective, all nine items, signed by a
  // 院长 of the case's court, decided ≤ signed ≤ served ≤ today, events of the case in date order
  const open = zx.sql(`SELECT COUNT(DISTINCT d.case_id) AS n FROM credit_decision d JOIN enf_case k ON k.id = d.case_id
    WHERE k.status = 'open' AND d.list = 'restricted' AND d.status = 'effective'`);
  assert.ok(Number(open[0].n) > 100, `${open[0].n} open cases under a 限消 order`);
  const bad = zx.sql(`SELECT k.case_no, d.status, d.categories, d.decided_on, d.approved_on, d.served_on FROM credit_decision d
    JOIN enf_case k ON k.id = d.case_id LEFT JOIN app_user u ON u.id = d.approved_by
    WHERE d.list = 'restricted' AND d.status = 'effective' AND NOT ((d.categories IS NULL OR d.categories = '')
      AND u.court_id = k.court_id AND (u.roles & 64) <> 0 AND d.decided_on <= d.approved_on AND d.approved_on <= d.served_on)`);
  assert.deepEqual(bad.slice(0, 5), [], `${bad.length} unlawful 限消 decisions`);
  // no 限消 on a 财产保全 case (no effective judgment obligation yet)
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM credit_decision d JOIN enf_case k ON k.id = d.case_id WHERE k.type_code = '执保'`)[0].n), 0);
  // every 限消 entry of one of this installation's courts comes from a decision on its case: its own 限消
  // decision, or the 失信 decision that restricts the listed debtor with it (限消规定 art 1 para 2)
  const bare = zx.sql(`SELECT e.name, e.case_no FROM credit_entry e JOIN court c ON c.code = e.court_code
    WHERE e.list = 'restricted' AND e.bound_by_entry_id IS NULL AND NOT EXISTS (SELECT 1 FROM credit_decision d WHERE d.entry_id = e.id)
      AND NOT EXISTS (SELECT 1 FROM credit_decision d WHERE d.case_id = e.case_id AND d.name = e.name AND d.list = 'dishonest'
        AND d.approved_by IS NOT NULL AND d.served_on IS NOT NULL)`);
  assert.deepEqual(bare.slice(0, 5), [], `${bare.length} entries of our courts without a decision`);
  const disorder = zx.sql(`SELECT k.case_no, a.kind AS a_kind, a.on_date AS a_on, b.kind AS b_kind, b.on_date AS b_on
    FROM case_event a JOIN case_event b ON b.case_id = a.case_id AND b.seq = a.seq + 1 JOIN enf_case k ON k.id = a.case_id
    WHERE k.status = 'open' AND b.on_date < a.on_date AND b.kind LIKE 'restriction%'`);
  assert.deepEqual(disorder.slice(0, 5), [], `${disorder.length} 限消 events out of date order`);
});

test('public portal names every court (issue 9 item 16): entries of courts outside the court table carry their name', async () => {
  assert.equal(Number(zx.sql(`SELECT COUNT(*) AS n FROM credit_entry e WHERE NOT EXISTS (SELECT 1 FROM court c WHERE c.code = e.court_code)
    AND (e.court_name IS NULL OR e.court_name = '')`)[0].n), 0);
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  // published names: some listed by courts outside this installation, some by its own courts
  const pick = (ours) => zx.sql(`SELECT DISTINCT e.name FROM credit_entry e WHERE e.status = 'active' AND e.publish_on <= '${today}'
    AND ${ours ? '' : 'NOT '}EXISTS (SELECT 1 FROM court c WHERE c.code = e.court_code) ORDER BY e.name LIMIT 4`).map((x) => x.name);
  const names = [...pick(false), ...pick(true)];
  let outside = 0, seen = 0;
  for (const name of names) {
    const r = await zx.api('GET', `/api/v1/portal/credit/search?name=${encodeURIComponent(name)}&lists=dishonest,restricted&size=50`);
    assert.equal(r.status, 200, r.text);
    for (const list of ['dishonest', 'restricted'])
      for (const it of r.json.results[list].items) {
        seen++;
        assert.match(it.court || '', /人民法院$/, `${it.case_no}: the court by name, got "${it.court}"`);
        if (!/辽/.test(it.case_no)) outside++;
      }
  }
  assert.ok(seen > 4 && outside > 0, `${seen} results, ${outside} from courts outside this installation`);
});

test('init --demo: every demo decision waiting for the 院长 is in the one approval inbox (issue 9 item 9)', async () => {
  const waiting = zx.sql(`SELECT d.id, d.list, d.case_id, (SELECT COUNT(*) FROM approval a WHERE a.object_id = d.id AND a.status = 'pending'
    AND a.kind IN ('dishonest_listing', 'consumption_restriction')) AS n FROM credit_decision d WHERE d.status = 'proposed'`);
  assert.ok(waiting.length > 3, `${waiting.length} demo decisions waiting for the 院长`);
  assert.deepEqual(waiting.filter((w) => Number(w.n) !== 1).slice(0, 5), [], 'each proposal has exactly one inbox item');
});
