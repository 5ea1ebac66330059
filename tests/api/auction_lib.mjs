// tests/api/auction_lib.mjs — helpers shared by the auction API and browser tests (not a test file).
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const c = '10X98765432';
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + c[s % 11];
}
export const day = (offset = 0) => {
  const d = new Date(Date.now() + 8 * 3600e3 + offset * 86400e3); // Asia/Shanghai date
  return d.toISOString().slice(0, 10);
};
export const iso = (ms) => new Date(ms).toISOString();
// A direct store change while the server may be writing (SQLite: wait for the write lock).
export const exec = (zx, sql) => zx.exec(zx.kind === 'sqlite' ? `PRAGMA busy_timeout = 10000; ${sql}` : sql);

// A lot on an open case of 辽0102 with its reference price fixed `refDaysAgo` days ago (agreed price),
// ready for a round. Returns { lot, caseId, token }.
export async function pricedLot(zx, token, { title = '测试标的', kind = 'real_estate', price = 100000000, refDaysAgo = 40, caseOffset = 0, caseId: given } = {}) {
  const cases = given ? [{ id: given }] : zx.sql("SELECT CAST(k.id AS TEXT) AS id FROM enf_case k JOIN court c ON c.id = k.court_id WHERE c.code = '辽0102'" +
    ` AND k.status <> 'closed' AND k.type_code = '执' ORDER BY k.id LIMIT 1 OFFSET ${40 + caseOffset}`);
  const caseId = cases[0].id;
  let r = await zx.api('POST', `/api/v1/cases/${caseId}/lots`, { token, body: { title, asset_kind: kind, description: '测试用', seized_on: day(-50) } });
  if (r.status !== 201) throw new Error(`lot: ${r.status} ${r.text}`);
  const lot = r.json.id;
  r = await zx.api('POST', `/api/v1/lots/${lot}/price-steps`, { token, body: { method: 'agreed', price_fen: price } });
  if (r.status !== 200) throw new Error(`agreed: ${r.status} ${r.text}`);
  exec(zx, `UPDATE auction_lot SET reference_on = '${day(-refDaysAgo)}' WHERE id = ${lot}`);
  return { lot, caseId };
}

// A round open for bidding now (announced 31 days ago, started a minute ago, ends in `hours` hours).
export async function openRound(zx, token, lot, { start = 70000000, deposit = 7000000, inc = 500000, hours = 25 } = {}) {
  const now = Date.now();
  return zx.api('POST', `/api/v1/lots/${lot}/rounds`, {
    token, body: { start_fen: start, deposit_fen: deposit, increment_fen: inc, announced_on: day(-31), starts_at: iso(now - 60000), ends_at: iso(now + hours * 3600e3) },
  });
}

export async function registerBidder(zx, name, first17) {
  const r = await zx.api('POST', '/api/v1/public/bidders', { body: { name, id_number: idNumber(first17), phone: '13900000000' } });
  if (r.status !== 201) throw new Error(`bidder: ${r.status} ${r.text}`);
  return r.json.token;
}

// Read an SSE stream, collecting parsed `price` events until `until(events)` or timeout.
export async function readEvents(url, { until = () => false, timeoutMs = 5000 } = {}) {
  const ac = new AbortController();
  const t = setTimeout(() => ac.abort(), timeoutMs);
  const events = [];
  let headers;
  try {
    const res = await fetch(url, { signal: ac.signal });
    headers = res.headers;
    const dec = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += dec.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (data) events.push(JSON.parse(data));
      }
      if (until(events)) break;
    }
  } catch (e) { if (e.name !== 'AbortError') throw e; } finally { clearTimeout(t); ac.abort(); }
  return { events, headers };
}

// 网拍规定 art 27: a price cut / 变卖 waits in the approval inbox; the chief signs it. Returns the lot.
export async function approveCut(zx, token, lot) {
  const l = (await zx.api('GET', `/api/v1/lots/${lot}`, { token })).json;
  if (!l.pending_approval) throw new Error(`no pending price cut on lot ${lot}`);
  const r = await zx.api('POST', `/api/v1/approvals/${l.pending_approval.id}/approve`, { token, body: { opinion: '经合议庭评议，同意' } });
  if (r.status !== 200) throw new Error(`approve: ${r.status} ${r.text}`);
  return (await zx.api('GET', `/api/v1/lots/${lot}`, { token })).json;
}
