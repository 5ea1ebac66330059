// rules_calendar.test.mjs — the holiday calendar for any year (issue 9 item 2), from outside: a year
// without a State Council notice answers the statutory holidays of 《全国年节及纪念日放假办法》 marked
// provisional; the 2023 notice is shipped; the system administrator loads a new year's notice through
// PUT /api/v1/calendar/years/:year without a rebuild (persisted, audited, live, kept across a restart).
// SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORDS } from './lib.mjs';

let zx, admin, judge;
before(async () => {
  zx = await startServer();
  admin = await zx.login(zx.creds.sysadmin.username, zx.creds.sysadmin.password);
  judge = await zx.login('demo_judge_liao0102', PASSWORDS.demo);
});
after(async () => { await zx?.stop(); });

const day = (j, d) => j.days.find((x) => x.date === d);

test('a year without a notice: statutory holidays (放假办法 art 2, art 6), provisional', async () => {
  const r = await zx.api('GET', '/api/v1/calendar?year=2027', { token: judge });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.known, false);
  assert.equal(r.json.provisional, true);
  assert.match(r.json.statutory_source, /全国年节及纪念日放假办法/);
  assert.equal(day(r.json, '2027-02-06').name, '春节');      // 正月初一 (lunar calendar)
  assert.equal(day(r.json, '2027-02-05').name, '春节');      // 除夕 (国务院令第795号)
  assert.equal(day(r.json, '2027-02-09').name, '春节补假');  // weekend days made up (art 6)
  assert.equal(day(r.json, '2027-04-05').name, '清明节');
  assert.equal(day(r.json, '2027-06-09').name, '端午节');
  assert.equal(day(r.json, '2027-09-15').name, '中秋节');
  assert.equal(day(r.json, '2027-10-01').working, false);
  assert.equal(day(r.json, '2027-10-01').provisional, true);
  // working-day arithmetic uses them: 2027-02-04 (Thu) + 1 working day → 2027-02-11
  const w = await zx.api('GET', '/api/v1/calendar/add-working-days?date=2027-02-04&days=1');
  assert.equal(w.json.date, '2027-02-11');
});

test('the 2023 notice is shipped (国务院办公厅 2022-12-08)', async () => {
  const r = await zx.api('GET', '/api/v1/calendar?year=2023', { token: judge });
  assert.equal(r.json.known, true);
  assert.equal(r.json.provisional, false);
  assert.equal(day(r.json, '2023-01-27').kind, 'holiday');
  assert.equal(day(r.json, '2023-01-28').kind, 'workday');   // 调休上班 (Saturday)
  assert.equal(day(r.json, '2023-10-06').name, '中秋节、国庆节');
  assert.equal(day(r.json, '2023-10-07').working, true);
});

test('the administrator loads a new year\'s notice without a rebuild', async () => {
  const notice = {
    source: '国务院办公厅关于2028年部分节假日安排的通知（测试）',
    days: [
      { from: '2028-01-01', to: '2028-01-03', kind: 'holiday', name: '元旦' },
      { from: '2028-01-25', to: '2028-02-01', kind: 'holiday', name: '春节' },
      { from: '2028-02-05', kind: 'workday', name: '春节调休上班' },
      { from: '2028-10-01', to: '2028-10-07', kind: 'holiday', name: '国庆节' },
    ],
  };
  assert.equal((await zx.api('PUT', '/api/v1/calendar/years/2028', { token: judge, body: notice })).status, 403);
  let r = await zx.api('PUT', '/api/v1/calendar/years/2028', { token: admin, body: { ...notice, days: [{ from: '2029-01-01', kind: 'holiday', name: '元旦' }] } });
  assert.equal(r.status, 400, r.text);
  r = await zx.api('PUT', '/api/v1/calendar/years/2028', { token: admin, body: { ...notice, days: [{ from: '2028-01-01', kind: 'x', name: '元旦' }] } });
  assert.equal(r.status, 400, r.text);
  let before = await zx.api('GET', '/api/v1/calendar?year=2028', { token: judge });
  assert.equal(before.json.provisional, true);
  r = await zx.api('PUT', '/api/v1/calendar/years/2028', { token: admin, body: notice });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.days, 3 + 8 + 1 + 7);
  const after = await zx.api('GET', '/api/v1/calendar?year=2028', { token: judge });
  assert.equal(after.json.known, true);
  assert.equal(after.json.provisional, false);
  assert.equal(day(after.json, '2028-02-05').kind, 'workday');
  assert.equal(day(after.json, '2028-02-05').source, notice.source);
  assert.equal(day(after.json, '2028-10-05').working, false);
  // the statutory fallback for 2028 is gone (e.g. 清明 2028-04-04 is not in this test notice)
  assert.equal(day(after.json, '2028-04-04'), undefined);
  const audit = zx.sql("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'calendar.set_year'");
  assert.equal(Number(audit[0].n), 1);
  // reloading replaces the year as a whole
  r = await zx.api('PUT', '/api/v1/calendar/years/2028', { token: admin, body: { source: notice.source, days: notice.days.slice(0, 1) } });
  assert.equal(r.json.days, 3);
  const again = await zx.api('GET', '/api/v1/calendar?year=2028', { token: judge });
  assert.equal(day(again.json, '2028-10-05'), undefined);
  assert.equal(Number(zx.sql("SELECT COUNT(*) AS n FROM holiday_calendar WHERE day >= '2028-01-01' AND day <= '2028-12-31'")[0].n), 3);
});
