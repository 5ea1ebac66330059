// search.test.mjs — search as a clerk types (issue 9 item 13): part of a 案号 ("执352", "352") and any
// part of a party's name ("建设银行") find the case through GET /api/v1/cases?q=, from the engines' own
// trigram indexes (migration 018: SQLite FTS5 trigram, PostgreSQL pg_trgm) — on both stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, PASSWORDS } from './lib.mjs';
import { idNumber, creditCode } from './ids.mjs';

let zx, clerk, judge, other, c;
const pad = (n) => String(n).padStart(2, '0');
const daysAgo = (n) => { const d = new Date(Date.now() + 8 * 3600e3 - n * 86400e3); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; };
const search = async (q, token = judge, extra = '') => {
  const r = await zx.api('GET', `/api/v1/cases?q=${encodeURIComponent(q)}${extra}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json;
};

before(async () => {
  zx = await startServer();
  clerk = await zx.login('demo_filing_clerk_liao0102', PASSWORDS.demo);
  judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
  other = await zx.login('demo_judge_liao0103', PASSWORDS.demo);
  const r = await zx.api('POST', '/api/v1/cases', { token: clerk, body: {
    type_code: '执', applied_on: daysAgo(1), claim_fen: 8_000_000,
    basis: { kind: 'judgment', issuer: '沈阳市和平区人民法院', doc_no: '（2024）辽0102民初77号', effective_on: daysAgo(300) },
    conditions: { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true },
    parties: [
      { role: 'applicant', kind: 'unit', name: '中国建设银行股份有限公司沈阳和平支行', credit_code: creditCode('91210102MA0XK7788'),
        unit_persons: [{ role_of_unit: 'legal_rep', name: '吴七', id_number: idNumber('210102', '19700101', 35) }] },
      { role: 'debtor', kind: 'person', name: '欧阳小明', id_number: idNumber('210103', '19751104', 91) },
    ] } });
  assert.equal(r.status, 201, r.text);
  c = r.json;
});
after(async () => { await zx?.stop(); });

test('part of a 案号: "执<seq>" and the bare sequence number find the case', async () => {
  const seq = /执(\d+)号/.exec(c.case_no)[1];
  for (const q of [`执${seq}`, seq.length >= 3 ? seq : `执${seq}号`, `0102执${seq}号`]) {
    const res = await search(q);
    assert.ok(res.items.some((i) => i.id === c.id), `${q}: ${JSON.stringify(res.items.map((i) => i.case_no))}`);
    assert.ok(res.total >= res.items.length);
  }
});

// every page of a search, as case numbers
const allOf = async (qs, token = judge) => {
  const out = [];
  for (let page = 1; ; page++) {
    const r = await zx.api('GET', `/api/v1/cases?${qs}&size=100&page=${page}`, { token });
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.items.map((i) => i.case_no));
    if (r.json.items.length < 100) return { total: r.json.total, case_nos: out.sort() };
  }
};

test('part of a 案号\'s number (migration 040, seq index): the same cases as a text match on court, type and number', async () => {
  const { case_nos: court } = await allOf(`court=${encodeURIComponent('辽0102')}`);
  assert.ok(court.length > 20, String(court.length));
  const bad = court.filter((no) => !/^（\d{4}）(.+?)(执[恢保异复监协他]?)(\d+)号$/.test(no));
  assert.deepEqual(bad, [], "every 案号 parses");
  const parts = (no) => /^（\d{4}）(.+?)(执[恢保异复监协他]?)(\d+)号$/.exec(no);
  // the meaning of q: digits alone = the number contains them; otherwise the text from the court code on
  const expected = (q) => court.filter((no) => {
    const [, ct, ty, num] = parts(no);
    return /^\d+$/.test(q) ? num.includes(q) : `${ct}${ty}${num}号`.includes(q);
  }).sort();
  const seq = /执(\d+)号/.exec(c.case_no)[1];
  const nums = court.map((no) => parts(no)[3]);
  const long = nums.find((n) => n.length >= 4);
  const three = long ? long.slice(1, 4) : nums.find((n) => n.length === 3); // the middle of a longer number
  const qs = [seq.length >= 3 ? seq : `${seq}0`, three, `执${seq}`, `执${three}`, `${three}号`, `执${seq}号`,
    `0102执${seq}`, `辽0102执${seq}号`, `02执${seq}`, `03执${seq}`, `恢${three.slice(0, 1)}`, `执恢1`, '000', '2024', '99999999'];
  for (const q of qs) {
    const got = await allOf(`q=${encodeURIComponent(q)}`);
    assert.deepEqual(got.case_nos, expected(q), q);
    assert.equal(got.total, got.case_nos.length, q);
  }
  // the filed case itself, by its exact number after its type
  assert.ok((await allOf(`q=${encodeURIComponent(`执${seq}号`)}`)).case_nos.includes(c.case_no));
  // another court's judge sees none of them
  const o = await allOf(`q=${encodeURIComponent(`0102执${seq}`)}`, other);
  assert.equal(o.total, 0);
});

test('any part of a party name: "建设银行", "设银行股份", "阳小明" find the case; other text does not', async () => {
  // (和平支行 is in 540 demo cases: past the text search's cap, where PostgreSQL lists the first 300 in table order)
  for (const q of ['建设银行', '设银行股份', '阳小明']) {
    const res = await search(q);
    assert.ok(res.items.some((i) => i.id === c.id), q);
    assert.ok(res.items.every((i) => i.court_code === '辽0102'), 'the caller\'s court only');
  }
  const none = await search('不存在的名字甲乙丙');
  assert.equal(none.total, 0);
  assert.equal(none.items.length, 0);
  // two characters: prefix of a name (a trigram needs three)
  const two = await search('欧阳');
  assert.ok(two.items.some((i) => i.id === c.id));
  // wildcards typed by the user are not wildcards
  const wild = await search('%%%');
  assert.equal(wild.total, 0);
});

test('a case from the history import (`zhixing import cases`, case_search filled in one statement) is found by any part', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zx-search-import-'));
  const file = join(dir, 'cases.csv');
  writeFileSync(file, 'case_no,court_code,case_type,filed_on,closed_on,closure_mode,claim,recovered,has_assets,deducted_days,non_litigation,applicant_name,debtor_name,debtor_id\n' +
    `（2019）辽0102执98765号,辽0102,执,2019-03-04,,,54321.00,0.00,0,0,0,北方重工测试有限公司,司马晓岚,${idNumber('210102', '19800203', 57)}\n`);
  const r = zx.cli(['import', 'cases', file]);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.code, 0, r.stderr);
  for (const q of ['执98765', '98765', '马晓岚', '重工测试']) {
    const res = await search(q);
    assert.ok(res.items.some((i) => i.case_no === '（2019）辽0102执98765号'), `${q}: ${JSON.stringify(res.items.map((i) => i.case_no))}`);
  }
  // exactly what the triggers write: one row for the 案号 and one per party name
  const rows = zx.sql("SELECT s.doc AS doc FROM case_search s JOIN enf_case k ON k.id = s.case_id WHERE k.case_no = '（2019）辽0102执98765号' ORDER BY s.doc");
  assert.deepEqual(rows.map((x) => x.doc).sort(), ['北方重工测试有限公司', '司马晓岚', '（2019）辽0102执98765号'].sort());
  if (zx.kind === 'postgres') {
    // PostgreSQL's search rows carry the case's court and filing date (migration 061): every writer fills them
    const bad = zx.sql('SELECT COUNT(*) AS n FROM case_search s JOIN enf_case k ON k.id = s.case_id WHERE s.court_id IS DISTINCT FROM k.court_id OR s.filed_on IS DISTINCT FROM k.filed_on');
    assert.equal(Number(bad[0].n), 0);
  }
  // filing dates narrow a text search (on PostgreSQL from the search rows themselves)
  assert.ok(!(await search('重工测试', undefined, '&filed_to=2019-03-03')).items.some((i) => i.case_no === '（2019）辽0102执98765号'));
  assert.ok((await search('重工测试', undefined, '&filed_from=2019-03-04&filed_to=2019-03-04')).items.some((i) => i.case_no === '（2019）辽0102执98765号'));
  // the row triggers are on again after the import
  const trg = zx.kind === 'postgres'
    ? zx.sql("SELECT tgname AS name FROM pg_trigger WHERE tgname IN ('case_search_case', 'case_search_party') AND tgenabled = 'O'")
    : zx.sql("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ('case_search_case_ins', 'case_search_party_ins')");
  assert.equal(trg.length, 2, JSON.stringify(trg));
});

test('the court scope still applies: another court\'s judge does not find the case', async () => {
  const res = await search('建设银行', other);
  assert.ok(!res.items.some((i) => i.id === c.id));
});

test('paging over a substring search: pages do not overlap and the total matches', async () => {
  const res = await search('辽0102执', judge, '&size=5');
  assert.ok(res.total > 5, String(res.total));
  const p2 = await search('辽0102执', judge, '&size=5&page=2');
  const ids1 = new Set(res.items.map((i) => i.id));
  assert.ok(p2.items.every((i) => !ids1.has(i.id)));
});

test('to-do: counters, per-handler table and paged list are one count; subordinate courts with their court', async () => {
  const chief = await zx.login('demo_chief_liao01', PASSWORDS.demo);     // 沈阳中院: 辽0102 and 辽0103 below
  const command = await zx.login('demo_command_liao01', PASSWORDS.demo);
  for (const token of [chief, command]) {
    const get = async (q) => {
      const r = await zx.api('GET', `/api/v1/todo?court=${encodeURIComponent('辽01')}&subordinates=1${q}`, { token });
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const all = await get('&page_size=20');
    const sum = all.counts.overdue + all.counts.warning + all.counts.ok;
    assert.equal(all.total, sum, 'list total = the counters');
    assert.ok(sum > 1000, `no 1,000-row cap: ${sum}`);
    const courts = new Set();
    for (const lvl of ['overdue', 'warning', 'ok']) {
      const l = await get(`&level=${lvl}&page_size=20`);
      assert.equal(l.total, all.counts[lvl], lvl);
      assert.ok(l.items.every((i) => i.level === lvl), lvl);
      for (const i of l.items) courts.add(i.court.code);
    }
    const t = all.by_handler.reduce((a, h) => ({ overdue: a.overdue + h.overdue, warning: a.warning + h.warning, ok: a.ok + h.ok }),
      { overdue: 0, warning: 0, ok: 0 });
    assert.deepEqual(t, all.counts, 'per-handler table sums to the counters');
    const h = all.by_handler.find((x) => x.handler && x.total > 0);
    const one = await get(`&handler=${h.handler.id}&page_size=500`);
    assert.equal(one.total, h.total);
    // the last page holds the rest, pages do not overlap
    const last = Math.ceil(all.total / 20);
    const lp = await get(`&page_size=20&page=${last}`);
    assert.equal(lp.items.length, all.total - (last - 1) * 20);
    assert.ok([...courts].some((c) => c !== '辽01'), `subordinate courts included: ${[...courts]}`);
  }
  // a judge may not ask for the court's list
  const r = await zx.api('GET', `/api/v1/todo?court=${encodeURIComponent('辽0102')}`, { token: judge });
  assert.equal(r.status, 403);
});

test('case list export: the same filters as the list, as an Excel workbook (audited)', async () => {
  const r = await fetch(`${zx.base}/api/v1/cases?q=${encodeURIComponent('建设银行')}&format=xlsx`, { headers: { authorization: `Bearer ${judge}` } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /filename\*=UTF-8''/);
  const buf = Buffer.from(await r.arrayBuffer());
  assert.equal(buf.subarray(0, 2).toString(), 'PK', 'a zip (xlsx) file');
  const bad = await zx.api('GET', '/api/v1/cases?format=pdf', { token: judge });
  assert.equal(bad.status, 400);
  const audit = zx.sql(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.export'`);
  assert.ok(Number(audit[0].n) >= 1);
});

test('first start (item 17): `zhixing accounts`, the table `make run` ends with, gives the URL and every account by role and court', async () => {
  const r = zx.cli(['accounts', '--url', zx.base]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n').filter(Boolean);
  assert.equal(lines[0], `== zhixing: ${zx.base}/    公开查询：${zx.base}/#/public`);
  const LABEL = { 1: '立案人员', 2: '执行法官', 4: '执行员/法官助理', 8: '书记员', 16: '财务人员', 32: '指挥中心', 64: '院/局领导（审批）',
    128: '系统管理员', 256: '安全管理员', 512: '审计管理员' };
  const courts = new Map(zx.sql('SELECT code, name FROM court').map((c) => [c.code, c.name]));
  const [, best, bestName] = /账户（(\S+) (\S+)）/.exec(lines[1]);
  assert.equal(bestName, courts.get(best));
  const row = (label) => {
    const l = lines.find((x) => x.startsWith(`   ${label} `));
    assert.ok(l, `a row for ${label}:\n${r.stdout}`);
    const words = l.slice(3 + label.length).trim().split(/\s+/);
    return { accounts: words.filter((w) => w.startsWith('demo_')), courts: words.filter((w) => courts.has(w)) };
  };
  const named = lines.find((l) => l.startsWith('   法院：'));
  const slug = (code) => code.replace('辽', 'liao');
  const users = zx.users();
  assert.ok(users.filter((u) => Number(u.is_demo)).length >= 40, 'the demo accounts');
  for (const u of users) {
    const roles = Number(u.roles);
    if (!Number(u.is_demo)) { // the three administrators, by name and role
      assert.ok(lines.at(-1).includes(`${u.username}（${LABEL[roles]}）`), `${u.username}:\n${r.stdout}`);
      continue;
    }
    assert.ok(LABEL[roles], `${u.username}: one role`);
    assert.ok(named.includes(`${u.court_code} ${courts.get(u.court_code)}`), `court ${u.court_code} by name`);
    const { accounts, courts: others } = row(LABEL[roles]);
    if (u.court_code === best) assert.ok(accounts.includes(u.username), `${u.username} listed`);
    else {
      // other courts: the court under 同样的账户也在, the name by the printed rule (the court's code as pinyin)
      assert.ok(others.includes(u.court_code), `${u.username}: ${u.court_code} in the ${LABEL[roles]} row`);
      assert.ok(accounts.some((a) => a.replace(new RegExp(`${slug(best)}$`), slug(u.court_code)) === u.username), `${u.username} by the rule`);
    }
  }
  // `make run` prints this table last, after the build and init output
  const run = readFileSync(new URL('../../scripts/run.sh', import.meta.url), 'utf8');
  assert.ok(run.indexOf('bin/zhixing accounts') > run.indexOf('init --db'), 'scripts/run.sh prints the table after init');
  assert.ok(run.indexOf('bin/zhixing accounts') < run.indexOf('bin/zhixing serve'), '… and before the server starts');
});

test('a broad fragment stops at the cap: total 300 + total_capped, 300 matches in the index\'s order (SQLite: newest entered), ordered by filing date, pages cut from them', async () => {
  const q = '辽0102执'; // in every 案号 of the demo court (thousands)
  const ids = zx.sql(`SELECT CAST(e.id AS TEXT) AS id FROM enf_case e JOIN court c ON c.id = e.court_id
    WHERE c.code = '辽0102' AND e.case_no LIKE '%辽0102执%' ORDER BY e.id DESC`).map((x) => x.id);
  assert.ok(ids.length > 300, String(ids.length));
  const got = [];
  for (let page = 1; page <= 4; page++) {
    const res = await search(q, judge, `&size=100&page=${page}`);
    assert.equal(res.total, 300);
    assert.equal(res.total_capped, true);
    assert.equal(res.items.length, page <= 3 ? 100 : 0, `page ${page}`);
    got.push(...res.items);
  }
  const mine = got.map((i) => i.id);
  assert.equal(new Set(mine).size, 300, 'each case once');
  const all = new Set(ids);
  assert.ok(mine.every((id) => all.has(id)), 'only matching cases of the court');
  // SQLite walks FTS5's rowid order (newest entered first); PostgreSQL the GIN bitmap's table order
  if (zx.kind === 'sqlite') assert.deepEqual([...mine].sort(), ids.slice(0, 300).sort(), 'SQLite: the 300 newest-entered');
  for (let i = 1; i < got.length; i++) { // one order over all pages: newest filed first
    const a = got[i - 1], b = got[i];
    assert.ok(a.filed_on > b.filed_on || (a.filed_on === b.filed_on && BigInt(a.id) > BigInt(b.id)), `${i}: ${a.filed_on} ${b.filed_on}`);
  }
  // under the cap the total is exact: 建设银行 in this court (案号 or party name), every case once
  const exact = Number(zx.sql(`SELECT COUNT(DISTINCT e.id) AS n FROM enf_case e JOIN court c ON c.id = e.court_id
    WHERE c.code = '辽0102' AND (e.case_no LIKE '%建设银行%' OR e.id IN (SELECT case_id FROM case_party WHERE name LIKE '%建设银行%'))`)[0].n);
  const few = await search('建设银行', judge, '&size=100');
  assert.ok(exact >= 1 && exact < 300, String(exact));
  assert.equal(few.total, exact);
  assert.equal(few.total_capped, false);
  assert.equal(new Set(few.items.map((i) => i.id)).size, Math.min(exact, 100));
});
