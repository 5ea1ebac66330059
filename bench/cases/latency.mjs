// latency.mjs — sequential-request latency of GET endpoints (one client, keep-alive), for figures a
// throughput tool does not give (p95). usage:
//   node latency.mjs BASE TOKEN N LABEL=PATH [LABEL=PATH …]
// PATH may contain {i} (replaced by the request number) and alternatives a||b||c (round-robin).
// Prints one JSON line per label: {"label","n","p50","p95","p99","max","errors","status"} (ms).
const [base, token, nStr, ...specs] = process.argv.slice(2);
const N = Number(nStr);
const pct = (a, p) => a[Math.min(a.length - 1, Math.ceil((p / 100) * a.length) - 1)];
for (const spec of specs) {
  const eq = spec.indexOf('=');
  const label = spec.slice(0, eq);
  const alts = spec.slice(eq + 1).split('||');
  const times = [];
  let errors = 0, status = 0;
  for (let i = 0; i < 3; i++) await fetch(base + alts[i % alts.length].replaceAll('{i}', String(i)), { headers: { authorization: `Bearer ${token}` } }).then((r) => r.arrayBuffer());
  for (let i = 0; i < N; i++) {
    const p = alts[i % alts.length].replaceAll('{i}', String(i));
    const t0 = performance.now();
    const r = await fetch(base + p, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    times.push(performance.now() - t0);
    status = r.status;
    if (r.status !== 200) errors++;
  }
  times.sort((a, b) => a - b);
  const f = (v) => Math.round(v * 10) / 10;
  console.log(JSON.stringify({ label, n: N, p50: f(pct(times, 50)), p95: f(pct(times, 95)), p99: f(pct(times, 99)), max: f(times[times.length - 1]), errors, status }));
}
