// rules_demo.test.mjs — demo data obeys the rules (issue 9 item 7): `zhixing init --demo` and
// `zhixing demo credit` generate only lawful records — 限消 orders over all nine items (限消规定 art 3),
// terms of 2 years + 0–3 counted from publication (失信规定 art 2), conduct matching its ground (art 6),
// dates in order (filed → decided → served → published, never effective before issued), and every
// generated listed person blocked for every category at a partner's check. SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';

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
  const rows = zx.sql(`SELECT id_number, list FROM credit_entry WHERE status = 'active' AND publish_on <= '${today}'
    AND (term_end IS NULL OR term_end >= '${today}') AND (permit_to IS NULL OR permit_to < '${today}') ORDER BY id_number`);
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
