// bench/auction/race.mjs — soft close race: the round ends at END_MS; bids are fired from
// END_MS + FROM (default −WINDOW) to END_MS + WINDOW at RATE/s. Prints the replies; the checks are made on the store
// by bench/60-auction.sh (every accepted bid received before the end in force when it was accepted,
// each end = max(previous end, receipt + 5 min), nothing accepted after the final end).
import http from 'node:http';
const [base, lot, END, WINDOW = '300', RATE = '400', FROM] = process.argv.slice(2);
const url = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
function req(method, path, body, token) {
  return new Promise((resolve) => {
    const data = body ? JSON.stringify(body) : null;
    const r = http.request({ host: url.hostname, port: url.port, method, path, agent, headers: {
      ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
      ...(token ? { authorization: 'Bearer ' + token } : {}) } }, (res) => {
      let b = '';
      res.on('data', (c) => { b += c; });
      res.on('end', () => { let j = null; try { j = JSON.parse(b); } catch { } resolve({ status: res.statusCode, json: j }); });
    });
    r.on('error', () => resolve({ status: 0 }));
    if (data) r.write(data);
    r.end();
  });
}
const tokens = (process.env.RACE_TOKENS || '').split(',').filter(Boolean);
const st = (await req('GET', `/api/v1/public/auctions/${lot}`)).json.live;
const end = Number(END), win = Number(WINDOW), rate = Number(RATE);
let k = 0;
const res = { accepted: 0, closed: 0, too_low: 0, other: 0, sent_before_end: 0, sent_after_end: 0, closed_sent_before_end: 0 };
const from = FROM === undefined ? -win : Number(FROM);
while (Date.now() < end + from) await new Promise((r) => setTimeout(r, 1));
const ps = [];
while (Date.now() < end + win) {
  const amount = Math.max(st.current_fen + st.increment_fen, st.start_fen) + (k++) * st.increment_fen;
  const sentAt = Date.now();
  if (sentAt < end) res.sent_before_end++; else res.sent_after_end++;
  ps.push(req('POST', `/api/v1/public/auctions/${lot}/bids`, { amount_fen: amount }, tokens[k % tokens.length]).then((r) => {
    if (r.status === 201) res.accepted++;
    else if (r.json?.error?.code === 'AUCTION_CLOSED') { res.closed++; if (sentAt < end - 20) res.closed_sent_before_end++; }
    else if (r.json?.error?.code === 'BID_TOO_LOW') res.too_low++;
    else res.other++;
  }));
  await new Promise((r) => setTimeout(r, 1000 / rate));
}
await Promise.all(ps);
console.log(JSON.stringify(res));
process.exit(0);
