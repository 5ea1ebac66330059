#!/usr/bin/env node
// Development server for the UI: serves web/ at / and node_modules/ at /node_modules/ with the
// strict Content-Security-Policy the UI is written for (script-src 'self' + the hash of the inline
// import map; no 'unsafe-eval'), and proxies /api/, /healthz to a running zhixing server.
// Usage: node web/tools/devserver.mjs [--port 8098] [--api http://127.0.0.1:8099]
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, normalize, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, '..');
const nm = join(web, '..', 'node_modules');
const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const port = Number(arg('--port', 8098));
const apiBase = new URL(arg('--api', 'http://127.0.0.1:8099'));

export function importMapHash(html) {
  const m = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html);
  return m ? "'sha256-" + createHash('sha256').update(m[1]).digest('base64') + "'" : '';
}
const csp = () => `default-src 'self'; script-src 'self' ${importMapHash(readFileSync(join(web, 'index.html'), 'utf8'))}; ` +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.map': 'application/json',
  '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.csv': 'text/csv; charset=utf-8' };

http.createServer(async (req, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname.startsWith('/api/') || u.pathname === '/healthz') {
    const p = http.request({ host: apiBase.hostname, port: apiBase.port, path: req.url, method: req.method, headers: req.headers }, (pr) => {
      res.writeHead(pr.statusCode, pr.headers); pr.pipe(res);
    });
    p.on('error', () => { res.writeHead(502, { 'Content-Type': 'application/json' }); res.end('{"error":{"code":"BAD_GATEWAY","message":"后端服务未启动"}}'); });
    req.pipe(p);
    return;
  }
  let root = web, rel = decodeURIComponent(u.pathname);
  if (rel.startsWith('/node_modules/')) { root = nm; rel = rel.slice('/node_modules'.length); }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = normalize(join(root, rel));
  if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
  try {
    if (!(await stat(file)).isFile()) throw new Error();
    const body = await readFile(file);
    const h = { 'Content-Type': MIME[extname(file)] || 'application/octet-stream', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
    if (extname(file) === '.html') h['Content-Security-Policy'] = csp();
    res.writeHead(200, h); res.end(body);
  } catch { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found'); }
}).listen(port, '127.0.0.1', () => console.log(`UI dev server http://127.0.0.1:${port}/ (API → ${apiBase.origin})`));
