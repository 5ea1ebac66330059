// A small hash router: '#/cases/123?tab=x' → { path:'/cases/123', params:{id:'123'}, query:{tab:'x'} }.
import { reactive, defineAsyncComponent, markRaw } from 'vue';
import { view } from './view.js';

const LoadError = view(import.meta.url, {
  template: `<el-result icon="error" title="页面加载失败" sub-title="请刷新页面重试；如仍失败请联系系统管理员。" />`,
});
const Loading = view(import.meta.url, {
  template: `<div class="boot">正在加载…</div>`,
});

export const route = reactive({ path: '/', params: {}, query: {}, def: null, full: '/' });
let table = [];

function compile(path) {
  const keys = [];
  const re = new RegExp('^' + path.replace(/\/:([a-zA-Z_]+)/g, (_m, k) => { keys.push(k); return '/([^/]+)'; }) + '/?$');
  return { re, keys };
}

export function setRoutes(defs) {
  table = defs.map((d) => ({
    ...d,
    ...compile(d.path),
    component: d.load ? markRaw(defineAsyncComponent({ loader: d.load, delay: 150, loadingComponent: Loading, errorComponent: LoadError })) : d.component,
  }));
}

export function parseHash(hash) {
  const h = (hash || '').replace(/^#/, '') || '/';
  const [p, qs] = h.split('?');
  const query = Object.fromEntries(new URLSearchParams(qs || ''));
  for (const d of table) {
    const m = d.re.exec(p);
    if (m) {
      const params = {};
      d.keys.forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
      return { path: p, params, query, def: d, full: h };
    }
  }
  return { path: p, params: {}, query, def: null, full: h };
}

function sync() {
  Object.assign(route, parseHash(location.hash));
}

export function startRouter() {
  window.addEventListener('hashchange', sync);
  sync();
}

export function go(path, query) {
  let h = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    if (s) h += '?' + s;
  }
  if (location.hash === '#' + h) sync();
  else location.hash = '#' + h;
}

// replace the query of the current route without adding history noise
export function setQuery(query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  const h = '#' + route.path + (s ? '?' + s : '');
  if (location.hash !== h) history.replaceState(null, '', h);
  Object.assign(route, parseHash(h));
}
