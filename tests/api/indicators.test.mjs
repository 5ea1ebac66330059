// indicators.test.mjs — history import (CLI and API) and the 质效指标 from outside (issue 4 §8, §9;
// docs/INDICATORS.md). Imported 2024 history lands in courts without demo cases in 2024 (demo data
// covers the last 15 months), so every number below is computed by hand from these files.
// Runs on SQLite and PostgreSQL (ZX_TEST_DB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, PASSWORDS } from './lib.mjs';
import { idNumber, creditCode } from './ids.mjs';

let zx;
const tok = {};
let tmp;

const HEADER = 'case_no,court_code,case_type,filed_on,closed_on,closure_mode,claim,recovered,has_assets,deducted_days,non_litigation,applicant_name,debtor_name,debtor_id';

const pad = (n) => String(n).padStart(2, '0');
function shanghaiToday() {
  const d = new Date(Date.now() + 8 * 3600e3);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const TODAY = shanghaiToday();
const YEAR = Number(TODAY.slice(0, 4));
const ID1 = idNumber('210102', '19800315', 123);
const CC1 = creditCode('91210100MA0XK1234');

// 辽01 (中院, no demo cases in 2024). Range 2024-01-01 … 2024-12-31:
//   A carried over (open)          B closed before `from` (not counted)   C carried over, closed on `from`
//   D new on `from`, 终本 on `to`, late    E 执恢 new on `to`   F after `to`   G 执保 closed after `to`
//   H asset, 终结执行, on time      I asset, completed, late (30 deducted days)   J 终本 on time
//   K 执异 (review class, excluded)   M non-litigation (3-month limit), late
const FILE_01 = [
  HEADER,
  `（2023）辽01执1号,辽01,执,2023-06-01,,,5000,0,0,0,0,张三,李四,${ID1}`,
  '（2023）辽01执2号,辽01,执,2023-05-04,2023-12-29,执行完毕,700,700,0,0,0,张三,李四,',
  '（2023）辽01执3号,辽01,执,2023-09-01,2024-01-01,执行完毕,1000.00,1000.00,0,0,0,中国工商银行股份有限公司沈阳分行,王五,',
  '（2024）辽01执1号,辽01,执,2024-01-01,2024-12-31,终结本次执行程序,3000,0,0,0,0,赵六,钱七,',
  '（2024）辽01执恢1号,辽01,执恢,2024-12-31,,,800,0,0,0,0,赵六,钱七,',
  '（2025）辽01执1号,辽01,执,2025-01-02,,,900,0,0,0,0,赵六,孙八,',
  '（2024）辽01执保1号,辽01,执保,2024-03-01,2025-01-02,执行完毕,600,600,1,0,0,周九,吴十,',
  `（2024）辽01执2号,辽01,执,2024-02-01,2024-05-06,终结执行,2000,500,1,0,0,郑一,"沈阳""鑫达"",商贸有限公司",${CC1}`,
  '（2024）辽01执3号,辽01,执,2024-02-01,2024-10-08,执行完毕,4000,4000,1,30,0,郑一,冯二,',
  '（2024）辽01执4号,辽01,执,2024-04-01,2024-06-03,终结本次执行程序,1000,100.5,0,0,0,陈三,褚四,',
  '(2024)辽01执异1号,辽01,执异,2024-02-01,2024-03-01,驳回申请,0,0,0,0,0,卫五,蒋六,',
  '（2024）辽01执5号,辽01,执,2024-05-06,2024-09-02,执行完毕,500,500,0,0,1,沈七,韩八,',
  // a current-year case: its number must advance case_seq so a new filing does not collide
  `（${YEAR}）辽01执7号,辽01,执,${TODAY},,,1234.56,0,0,0,0,杨九,朱十,`,
].join('\r\n') + '\r\n';

const RANGE = 'from=2024-01-01&to=2024-12-31';
const KEYS = ['carried_over', 'new', 'received', 'closed', 'pending', 'closed_late', 'closure_rate', 'actual_enforcement_rate',
  'interim_closure_rate', 'on_time_rate', 'asset_case_enforcement_rate', 'asset_case_on_time_rate', 'recovery_rate',
  'interim_closure_compliance_rate', 'petition_closure_rate', 'three_year_closure_rate'];

function write(name, text, bom = false) {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, (bom ? '\uFEFF' : '') + text);
  return p;
}
async function api(who, method, p, opts = {}) {
  return zx.api(method, p, { token: tok[who], ...opts });
}
async function ind(who, query) {
  const r = await api(who, 'GET', `/api/v1/indicators?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}
function count(where) {
  return Number(zx.sql(`SELECT COUNT(*) AS n FROM enf_case WHERE ${where}`)[0].n);
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zx-ind-'));
  zx = await startServer();
  for (const [who, user] of [['chief01', 'demo_chief_liao01'], ['judge01', 'demo_judge_liao01'], ['chief11', 'demo_chief_liao11'],
    ['chief', 'demo_chief_liao'], ['judge0102', 'demo_judge_liao0102'], ['command01', 'demo_command_liao01']]) {
    tok[who] = await zx.login(user, PASSWORDS.demo);
  }
});
after(async () => {
  await zx?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('CLI import (BOM, CRLF, RFC 4180 quoting) then exact indicators for 辽01', async () => {
  const r = zx.cli(['import', 'cases', write('01.csv', FILE_01, true)]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /13 件/);
  assert.equal(count("imported = 1 AND case_no LIKE '%辽01执%'"), 13);
  // full-width brackets stored even when the file used half-width ones
  assert.equal(count("case_no = '（2024）辽01执异1号'"), 1);
  const party = zx.sql("SELECT p.name AS name, p.kind AS kind, p.credit_code AS cc FROM case_party p JOIN enf_case e ON e.id = p.case_id WHERE e.case_no = '（2024）辽01执2号' AND p.role = 'debtor'");
  assert.deepEqual(party, [{ name: '沈阳"鑫达",商贸有限公司', kind: 'unit', cc: CC1 }]);
  const audit = zx.sql("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.import'");
  assert.equal(Number(audit[0].n), 1);

  const j = await ind('chief01', `court=辽01&${RANGE}`);
  assert.deepEqual(Object.keys(j).sort(), [...KEYS].sort());
  assert.deepEqual(j, {
    carried_over: 2, new: 7, received: 9, closed: 6, pending: 3, closed_late: 3, // 超期结案: 6 closed − C, H, J on time
    closure_rate: 0.6667,                // 6 / 9
    actual_enforcement_rate: 0.6667,     // C, H, I, M / 6
    interim_closure_rate: 0.3333,        // D, J / 6
    on_time_rate: 0.5,                   // C, H, J / 6 (J's limit 2024-10-01 falls in the National Day holiday)
    asset_case_enforcement_rate: 1,      // H, I / H, I
    asset_case_on_time_rate: 0.5,        // H / H, I
    recovery_rate: 0.5305,               // 6100.50 / 11500
    interim_closure_compliance_rate: 1,  // imported 终本 closures count as approved
    petition_closure_rate: 0,            // "3+1" ③: no petitions in this store (tests/api/command.test.mjs)
    three_year_closure_rate: 0.7,        // "3+1" +1: filed 2022-01-01…2024-12-31: B C D H I J M closed of A B C D E G H I J M
  });
  // the judge of 辽01 sees its own court too
  assert.equal((await ind('judge01', `court=辽01&${RANGE}`)).received, 9);
  // one day: C closed on it and D filed on it
  const d = await ind('chief01', 'court=辽01&from=2024-01-01&to=2024-01-01');
  assert.equal(d.carried_over, 2);
  assert.equal(d.new, 1);
  assert.equal(d.closed, 1);
});

test('imported numbers advance case_seq: a new filing takes the next number', async () => {
  const seq = zx.sql(`SELECT last FROM case_seq s JOIN court c ON c.id = s.court_id WHERE c.code = '辽01' AND s.type_code = '执' AND s.year = ${YEAR}`);
  assert.equal(Number(seq[0].last), 7);
  const r = await api('judge01', 'POST', '/api/v1/cases', {
    body: {
      type_code: '执', court: '辽01', applied_on: TODAY, claim_fen: 100000,
      basis: { kind: 'judgment', issuer: '沈阳市中级人民法院', doc_no: `（${YEAR - 1}）辽01民初1号`, effective_on: '2024-01-10' },
      conditions: { document_effective: true, applicant_is_right_holder: true, content_clear: true, debtor_failed_to_perform: true, within_jurisdiction: true },
      parties: [
        { role: 'applicant', kind: 'person', name: '张三', id_number: idNumber('210102', '19800315', 123) },
        { role: 'debtor', kind: 'person', name: '李四', id_number: idNumber('210103', '19751104', 91) },
      ],
    },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.case_no, `（${YEAR}）辽01执8号`);
});

test('API import (text/csv) is synchronous with counts; subordinates, courts and trend', async () => {
  const csv = [HEADER,
    '（2024）辽11执1号,辽11,执,2024-03-04,2024-04-01,销案,10000,0,0,0,0,甲公司,乙,',
    '（2024）辽11执2号,辽11,执,2024-06-03,,,20000,0,0,0,0,丙,丁,'].join('\n');
  const r = await api('chief11', 'POST', '/api/v1/import/cases', { body: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.imported, 2);
  assert.equal(r.json.open, 1);
  assert.equal(r.json.closed, 1);
  const j = await ind('chief11', `court=辽11&${RANGE}`);
  assert.equal(j.received, 2);
  assert.equal(j.closed, 1);
  assert.equal(j.closure_rate, 0.5);
  assert.equal(j.actual_enforcement_rate, 0);
  assert.equal(j.on_time_rate, 1);
  assert.equal(j.recovery_rate, 0);
  assert.equal(j.asset_case_on_time_rate, 0); // no asset cases: denominator 0 → 0

  // the province with its subordinates: 辽01 + 辽11 (no 2024 cases elsewhere)
  const p = await ind('chief', `court=辽&subordinates=1&${RANGE}`);
  assert.equal(p.received, 11);
  assert.equal(p.closed, 7);
  assert.equal(p.closure_rate, 0.6364);
  assert.equal(p.actual_enforcement_rate, 0.5714);
  assert.equal(p.on_time_rate, 0.5714);
  assert.equal(p.recovery_rate, 0.2837); // 6100.50 / 21500
  // without subordinates: the high court's own cases only
  assert.equal((await ind('chief', `court=辽&${RANGE}`)).received, 0);

  const c = await api('chief', 'GET', `/api/v1/indicators/courts?court=辽&${RANGE}`);
  assert.equal(c.status, 200, c.text);
  const byCode = Object.fromEntries(c.json.courts.map((x) => [x.court, x]));
  assert.equal(byCode['辽01'].received, 9);
  assert.equal(byCode['辽11'].received, 2);
  assert.equal(c.json.total.received, 11);

  const t = await api('chief01', 'GET', `/api/v1/indicators/trend?court=辽01&${RANGE}`);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.months.length, 12);
  assert.equal(t.json.months[0].month, '2024-01');
  assert.equal(t.json.months.reduce((a, m) => a + m.new, 0), 7);
  assert.equal(t.json.months.reduce((a, m) => a + m.closed, 0), 6);
  assert.equal(t.json.months[0].carried_over, 2);
  assert.equal(t.json.months[11].closed, 1);
});

test('access: own court; subordinates only for command/chief', async () => {
  assert.equal((await api('judge0102', 'GET', `/api/v1/indicators?court=辽&${RANGE}`)).status, 403);
  assert.equal((await api('judge0102', 'GET', `/api/v1/indicators?court=辽01&${RANGE}`)).status, 403);
  assert.equal((await api('judge01', 'GET', `/api/v1/indicators?court=辽01&subordinates=1&${RANGE}`)).status, 403);
  assert.equal((await ind('command01', `court=辽01&subordinates=1&${RANGE}`)).received, 9);
  assert.equal((await api('chief', 'GET', '/api/v1/indicators?court=辽99')).status, 404);
  assert.equal((await api('chief', 'GET', '/api/v1/indicators?court=辽&from=2024-02-30')).status, 400);
  assert.equal((await api('chief', 'GET', '/api/v1/indicators?court=辽&from=2024-03-01&to=2024-01-01')).status, 400);
  assert.equal((await zx.api('GET', `/api/v1/indicators?court=辽01&${RANGE}`)).status, 401);
  // import is for chiefs, command, filing clerks: a judge may not
  const r = await api('judge01', 'POST', '/api/v1/import/cases', { body: HEADER + '\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 403);
  // a chief of 辽11 may not import another court's cases
  const x = await api('chief11', 'POST', '/api/v1/import/cases', {
    body: `${HEADER}\n（2024）辽01执99号,辽01,执,2024-03-04,,,1,0,0,0,0,甲,乙,\n`, headers: { 'content-type': 'text/csv' },
  });
  assert.equal(x.status, 400, x.text);
  assert.equal(x.json.error.errors[0].code, 'COURT_FORBIDDEN');
  assert.equal(count("case_no = '（2024）辽01执99号'"), 0);
});

const BAD = [
  HEADER,
  '（2024）辽01执20号,辽01,执,2024-03-04,,,100,0,0,0,0,甲,乙,',                         // 2 valid
  '（2024）辽01执21号,辽01,执,2024-02-30,,,100,0,0,0,0,甲,乙,',                         // 3 bad date
  '（2024）辽02执22号,辽01,执,2024-03-04,,,100,0,0,0,0,甲,乙,',                         // 4 court mismatch
  '（2024）辽01执23号,辽01,执,2024-03-04,2024-04-01,结了,100,0,0,0,0,甲,乙,',            // 5 unknown mode
  '（2024）辽01执24号,辽01,执,2024-03-04,,,12.345,0,0,0,0,甲,乙,',                      // 6 3 decimals
  '（2024）辽01执25号,辽01,执,2024-03-04,,,100,0,0,0,0,甲,乙,210102198003151230',        // 7 bad check digit
  '"（2024）辽01执26号",辽01,执,2024-03-04,,,100,0,0,0,0,"甲,""乙""",丙,',              // 8 valid (quoted)
  '（2024）辽01执27号,辽01,执,2024-03-04,2024-03-01,执行完毕,100,0,0,0,0,甲,乙,',        // 9 closed before filed
  '（2024）辽01执28号,辽01,执,2024-03-04,,执行完毕,100,0,0,0,0,甲,乙,',                  // 10 mode without date
  '（2024）辽01执20号,辽01,执,2024-03-04,,,100,0,0,0,0,甲,乙,',                         // 11 duplicate of line 2
].join('\n') + '\n';
const BAD_EXPECT = [[3, 'filed_on'], [4, 'case_no'], [5, 'closure_mode'], [6, 'claim'], [7, 'debtor_id'], [9, 'closed_on'], [10, 'closure_mode']];

test('import errors name line and column; nothing is written (CLI)', async () => {
  const r = zx.cli(['import', 'cases', write('bad.csv', BAD)]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  for (const [line, col] of BAD_EXPECT) assert.match(r.stderr, new RegExp(`line ${line}, column ${col} `));
  assert.doesNotMatch(r.stderr, /line 8,/);
  assert.equal(count("case_no LIKE '（2024）辽01执2_号'"), 0);
  // the in-file duplicate is reported once the rows themselves are valid
  const dup = BAD.split('\n').filter((l, i) => [0, 1, 7, 10].includes(i)).join('\n') + '\n';
  const d = zx.cli(['import', 'cases', write('dup.csv', dup)]);
  assert.equal(d.code, 1);
  assert.match(d.stderr, /line 4, column case_no \[DUPLICATE_CASE_NO\]/);
  assert.equal(count("case_no LIKE '（2024）辽01执2_号'"), 0);
});

test('import errors via the API: 400 IMPORT_INVALID with every error; header problems', async () => {
  const r = await api('chief01', 'POST', '/api/v1/import/cases', { body: BAD, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'IMPORT_INVALID');
  assert.equal(r.json.error.total, BAD_EXPECT.length);
  assert.deepEqual(r.json.error.errors.map((e) => [e.line, e.column]), BAD_EXPECT);
  assert.ok(r.json.error.errors.every((e) => /^[A-Z_]+$/.test(e.code) && e.message.length > 0));
  assert.equal(count("case_no LIKE '（2024）辽01执2_号'"), 0);

  const h = await api('chief01', 'POST', '/api/v1/import/cases', {
    body: 'case_no,court_code,case_type,filed_on,foo\n', headers: { 'content-type': 'text/csv' },
  });
  assert.equal(h.status, 400);
  const codes = h.json.error.errors.map((e) => e.code);
  assert.ok(codes.includes('UNKNOWN_COLUMN'));
  assert.ok(codes.includes('MISSING_COLUMN'));
  const q = await api('chief01', 'POST', '/api/v1/import/cases', {
    body: `${HEADER}\n（2024）辽01执30号,辽01,执,2024-03-04,,,100,0,0,0,0,"甲,乙,\n`, headers: { 'content-type': 'text/csv' },
  });
  assert.equal(q.status, 400);
  assert.equal(q.json.error.errors[0].line, 2);
});

test('all-or-nothing against the store: a case_no that already exists rolls back the whole file', async () => {
  const csv = [HEADER,
    '（2024）辽01执40号,辽01,执,2024-03-04,,,100,0,0,0,0,甲,乙,',
    '（2024）辽01执3号,辽01,执,2024-02-01,,,100,0,0,0,0,甲,乙,'].join('\n');
  const r = await api('chief01', 'POST', '/api/v1/import/cases', { body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(r.json.error.errors.map((e) => [e.line, e.column, e.code]), [[3, 'case_no', 'CASE_EXISTS']]);
  assert.equal(count("case_no = '（2024）辽01执40号'"), 0);
  // still exactly one import audit record from the CLI and one from the API import
  assert.equal(Number(zx.sql("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.import'")[0].n), 2);
  // and the indicators did not move
  assert.equal((await ind('chief01', `court=辽01&${RANGE}`)).received, 9);
});
