// bench/auction/load.mjs — one hot lot: V Server-Sent-Events viewers + bids at R/s for S seconds.
//   node bench/auction/load.mjs BASE LOT_ID VIEWERS RATE SECONDS  → one JSON line of figures
// Bidders register and pay the deposit through the public API first. Amounts come from one counter
// (start + k × increment), sent at a steady rate over a keep-alive pool, so concurrent bids race as
// they would live (a bid overtaken in flight is refused BID_TOO_LOW). Per accepted bid the ack time
// is kept; each viewer's event for seq s yields its delay after that ack ("bid → every viewer").
import http from 'node:http';

const [base, lot, V = '1000', R = '200', S = '20'] = process.argv.slice(2);
const viewers = Number(V), rate = Number(R), secs = Number(S);
const url = new URL(base);
// enough sockets that the client never queues a bid behind its own pool (its queueing would count as
// server latency); AUCTION_SOCKETS overrides
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(process.env.AUCTION_SOCKETS || 512) });

function req(method, path, body, token) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : null;
    const r = http.request({ host: url.hostname, port: url.port, method, path, agent, headers: {
      ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
      ...(token ? { authorization: 'Bearer ' + token } : {}) } }, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { b += c; });
      res.on('end', () => { let j = null; try { j = JSON.parse(b); } catch { } resolve({ status: res.statusCode, json: j }); });
    });
    r.on('error', reject);
    if (data) r.write(data);
    r.end();
  });
}
function idNumber(i) {
  const first17 = '21010219' + String(70 + (i % 25)).padStart(2, '0') + '0101' + String(100 + i).slice(-3);
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let k = 0; k < 17; k++) s += Number(first17[k]) * w[k];
  return first17 + '10X98765432'[s % 11];
}
const pct = (a, p) => (a.length ? a[Math.min(a.length - 1, Math.floor(a.length * p))] : null);

const state = (await req('GET', `/api/v1/public/auctions/${lot}`)).json.live;
const tokens = [];
for (let i = 0; i < 16; i++) {
  const r = await req('POST', '/api/v1/public/bidders', { name: '压测竞买人' + i, id_number: idNumber(i) });
  if (r.status !== 201) throw new Error('register ' + r.status + JSON.stringify(r.json));
  const d = await req('POST', `/api/v1/public/auctions/${lot}/deposit`, {}, r.json.token);
  if (d.status !== 201) throw new Error('deposit ' + d.status + JSON.stringify(d.json));
  tokens.push(r.json.token);
}

// viewers
const ackAt = new Map(); // seq → ms
const delays = [];
let events = 0, viewersUp = 0, viewerErrors = 0;
const lastSeq = new Int32Array(viewers);
function viewer(i) {
  const r = http.get({ host: url.hostname, port: url.port, path: `/api/v1/public/auctions/${lot}/stream`, agent: false }, (res) => {
    viewersUp++;
    res.setEncoding('utf8');
    let buf = '';
    res.on('data', (c) => {
      buf += c;
      let k;
      while ((k = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, k);
        buf = buf.slice(k + 2);
        const m = /\ndata: (.*)$/m.exec('\n' + block);
        if (!m) continue;
        const seq = Number(/"seq":(\d+)/.exec(m[1])[1]);
        events++;
        lastSeq[i] = seq;
        const t = ackAt.get(seq);
        if (t !== undefined && delays.length < 2e6) delays.push(Math.max(0, Date.now() - t));
      }
    });
  });
  r.on('error', () => { viewerErrors++; });
  return r;
}
const vreqs = [];
for (let i = 0; i < viewers; i++) { vreqs.push(viewer(i)); if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20)); }
for (let w = 0; w < 100 && viewersUp < viewers; w++) await new Promise((r) => setTimeout(r, 100));

// bids
let k = 0, sent = 0, accepted = 0, tooLow = 0, other = 0, maxSeq = state.seq;
const acks = [];
const inflight = new Set();
const startPrice = Math.max(state.current_fen + state.increment_fen, state.start_fen);
const t0 = Date.now();
await new Promise((done) => {
  const tick = setInterval(() => {
    const el = (Date.now() - t0) / 1000;
    if (el >= secs) { clearInterval(tick); return done(); }
    const due = Math.floor(el * rate) - sent;
    for (let n = 0; n < due; n++) {
      const amount = startPrice + (k++) * state.increment_fen;
      const tok = tokens[sent % tokens.length];
      sent++;
      const ts = Date.now();
      const p = req('POST', `/api/v1/public/auctions/${lot}/bids`, { amount_fen: amount }, tok).then((r) => {
        const now = Date.now();
        acks.push(now - ts);
        if (r.status === 201) { accepted++; ackAt.set(r.json.seq, now); if (r.json.seq > maxSeq) maxSeq = r.json.seq; }
        else if (r.status === 409 && r.json?.error?.code === 'BID_TOO_LOW') tooLow++;
        else other++;
      }).catch(() => { other++; }).finally(() => inflight.delete(p));
      inflight.add(p);
    }
  }, 5);
});
await Promise.all([...inflight]);
const elapsed = (Date.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 1000)); // every viewer should hold the final price within 1 s
let current = 0;
for (let i = 0; i < viewers; i++) if (lastSeq[i] === maxSeq) current++;
for (const r of vreqs) r.destroy();
acks.sort((a, b) => a - b);
delays.sort((a, b) => a - b);
console.log(JSON.stringify({
  viewers, viewers_connected: viewersUp, viewer_errors: viewerErrors, rate_target: rate, seconds: secs, elapsed_s: Number(elapsed.toFixed(1)),
  bids_sent: sent, accepted, too_low: tooLow, other, accepted_per_s: Math.round(accepted / elapsed), sent_per_s: Math.round(sent / elapsed),
  ack_p50_ms: pct(acks, 0.5), ack_p99_ms: pct(acks, 0.99), ack_max_ms: acks[acks.length - 1],
  events_received: events, view_delay_p50_ms: pct(delays, 0.5), view_delay_p99_ms: pct(delays, 0.99), view_delay_max_ms: delays[delays.length - 1],
  final_seq: maxSeq, viewers_at_final_after_1s: current,
}));
process.exit(0);
