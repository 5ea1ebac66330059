// HTTP client for /api/v1: session cookie (same-origin), X-CSRF-Token on state changes,
// 401 → login page, server error messages (Chinese) shown with ElMessage.
import { reactive } from 'vue';
import { ElMessage } from 'element-plus';
import { article } from './fmt.js';

export const session = reactive({ user: null, csrf: null, checked: false });

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

function toLogin() {
  session.user = null;
  session.csrf = null;
  const h = location.hash || '';
  if (!h.startsWith('#/login') && !h.startsWith('#/public') && !h.startsWith('#/my-case')) {
    const next = h.replace(/^#/, '');
    location.hash = '#/login' + (next && next !== '/' ? '?next=' + encodeURIComponent(next) : '');
  }
}

// 64-bit ids sent as JSON numbers lose precision in JS: keep any integer beyond 2^53 as its
// source text (JSON.parse source access, Chromium ≥ 114); otherwise parse normally.
export function parseJson(text) {
  return JSON.parse(text, (k, v, ctx) => {
    if (k === 'article' && typeof v === 'string') return article(v);
    return typeof v === 'number' && !Number.isSafeInteger(v) && ctx && ctx.source && /^-?\d+$/.test(ctx.source)
      ? ctx.source : v;
  });
}

// opts: { quiet: true } → do not show ElMessage on error; { noRedirect: true } → no login on 401;
//       { query: {...} } → query string; { raw: true } → return the Response
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof FormData || body instanceof Blob || typeof body === 'string') {
    payload = body;
    if (typeof body === 'string') headers['Content-Type'] = opts.contentType || 'text/plain; charset=utf-8';
  } else if (body !== undefined && body !== null) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  let url = path.startsWith('/api/') ? path : '/api/v1' + path;
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, v);
    }
    const qs = q.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  let res;
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    if (!opts.quiet) ElMessage.error('无法连接服务器，请检查网络');
    throw new ApiError(0, 'NETWORK', '无法连接服务器');
  }
  if (opts.raw && res.ok) return res;
  let data = null;
  const ct = res.headers.get('Content-Type') || '';
  if (ct.includes('json')) {
    try { data = parseJson(await res.text()); } catch { data = null; }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const e = new ApiError(res.status, err.code, err.message || `请求失败（HTTP ${res.status}）`, data);
    if (res.status === 401 && !opts.noRedirect) {
      if (session.user) ElMessage.warning('会话已过期，请重新登录');
      toLogin();
    } else if (!opts.quiet) {
      ElMessage.error(e.message);
    }
    throw e;
  }
  return data;
}

export const get = (p, query, opts = {}) => api('GET', p, undefined, { ...opts, query });
export const post = (p, body, opts) => api('POST', p, body ?? {}, opts);
export const put = (p, body, opts) => api('PUT', p, body ?? {}, opts);
export const patch = (p, body, opts) => api('PATCH', p, body ?? {}, opts);
export const del = (p, opts) => api('DELETE', p, undefined, opts);

export async function loadMe() {
  try {
    const me = await api('GET', '/me', undefined, { quiet: true, noRedirect: true });
    const { csrf_token, ...user } = me;
    session.user = me.user || user;
    session.csrf = csrf_token || me.csrf_token || session.csrf;
  } catch {
    session.user = null;
  }
  session.checked = true;
  return session.user;
}

// extra: { totp } or { recovery_code } for accounts with a second factor (401 TOTP_REQUIRED asks for it)
export async function login(username, password, extra = {}) {
  const r = await api('POST', '/auth/login', { username, password, ...extra }, { quiet: true, noRedirect: true });
  session.user = r.user;
  session.csrf = r.csrf_token;
  return r.user;
}

export async function logout() {
  try { await api('POST', '/auth/logout', {}, { quiet: true, noRedirect: true }); } catch { /* already gone */ }
  session.user = null;
  session.csrf = null;
  location.hash = '#/login';
}

export function hasRole(...roles) {
  const u = session.user;
  return !!u && (u.roles || []).some((r) => roles.includes(r));
}

// download a file (documents, exports) through fetch so the cookie + CSRF apply, then save it
export async function download(path, filename, opts = {}) {
  const res = await api(opts.method || 'GET', path, opts.body, { raw: true, query: opts.query });
  const blob = await res.blob();
  let name = filename;
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) || /filename="?([^";]+)"?/i.exec(cd);
  if (!name && m) name = decodeURIComponent(m[1]);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name || 'download';
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// upload a body (File/Blob/string) with progress callbacks (XHR: fetch has no upload progress).
// onProgress(sentBytes, totalBytes) while sending; resolves with the parsed JSON or rejects ApiError.
export function upload(path, body, { contentType = 'text/csv; charset=utf-8', onProgress, onSent } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path.startsWith('/api/') ? path : '/api/v1' + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    if (session.csrf) xhr.setRequestHeader('X-CSRF-Token', session.csrf);
    xhr.upload.onprogress = (e) => { if (onProgress && e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.upload.onload = () => { if (onSent) onSent(); };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '上传失败：无法连接服务器'));
    xhr.onload = () => {
      let data = null;
      try { data = parseJson(xhr.responseText); } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      const err = (data && data.error) || {};
      if (xhr.status === 401) toLogin();
      reject(new ApiError(xhr.status, err.code, err.message || `请求失败（HTTP ${xhr.status}）`, data));
    };
    xhr.send(body);
  });
}
