// latency.mjs — sequential-request latency of GET endpoints (one client, keep-alive), for figures a
// throughput tool does not give (p95). usage:
//   node latency.mjs BASE TOKEN N LABEL=PATH [LABEL=PATH …]
// PATH may contain {i} (replaced by the request number) and alternatives a||b||c (round-robin).
// Prints one JSON line per label: {"label","n","p50","p95","p99","max","errors","status"} (ms), and
// "cpu_ms" (CPU time per request of the processes named in LAT_CPU_PIDS — space-separated pids, each
// counted with its direct children, e.g. the server and a PostgreSQL postmaster whose backends do the
// work — from /proc/PID/stat utime + stime), so an idle-machine figure can be projected honestly.
import fs from 'node:fs';
const [base, token, nStr, ...specs] = process.argv.slice(2);
const TICK_MS = 10; // USER_HZ = 100 on Linux
const roots = (process.env.LAT_CPU_PIDS || '').split(/\s+/).filter(Boolean).map(Number);
function stat(pid) {
  try {
    const t = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = t.slice(t.lastIndexOf(')') + 2).split(' '); // f[0] = state (field 3)
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) }; // utime, stime (fields 14, 15)
  } catch { return null; }
}
function cpuTicks() {
  if (!roots.length) return null;
  let sum = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = stat(Number(d));
    if (s && (roots.includes(Number(d)) || roots.includes(s.ppid))) sum += s.ticks;
  }
  return sum;
}
const N = Number(nStr);
const pct = (a, p) => a[Math.min(a.length - 1, Math.ceil((p / 100) * a.length) - 1)];
for (const spec of specs) {
  const eq = spec.indexOf('=');
  const label = spec.slice(0, eq);
  const alts = spec.slice(eq + 1).split('||');
  const times = [];
  let errors = 0, status = 0;
  for (let i = 0; i < 3; i++) await fetch(base + alts[i % alts.length].replaceAll('{i}', String(i)), { headers: { authorization: `Bearer ${token}` } }).then((r) => r.arrayBuffer());
  const c0 = cpuTicks();
  for (let i = 0; i < N; i++) {
    const p = alts[i % alts.length].replaceAll('{i}', String(i));
    const t0 = performance.now();
    const r = await fetch(base + p, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    times.push(performance.now() - t0);
    status = r.status;
    if (r.status !== 200) errors++;
  }
  const c1 = cpuTicks();
  times.sort((a, b) => a - b);
  const f = (v) => Math.round(v * 10) / 10;
  const cpu = c0 === null ? null : f(((c1 - c0) * TICK_MS) / N);
  console.log(JSON.stringify({ label, n: N, p50: f(pct(times, 50)), p95: f(pct(times, 95)), p99: f(pct(times, 99)), max: f(times[times.length - 1]), errors, status, cpu_ms: cpu }));
}
