// view() — attach the precompiled render function (gen/renders.js, made by
// tools/compile-templates.mjs) to a component that carries a `template` string, so the page runs
// under a CSP without 'unsafe-eval'. If the template changed since the last compile, the
// template is kept and Vue compiles it at runtime (works only where eval is allowed) — run
// `node web/tools/compile-templates.mjs` after editing a template.
import renders from './gen/renders.js';

export function templateHash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const counters = new Map();

export function view(moduleUrl, comp) {
  const m = /\/app\/(.*)$/.exec(new URL(moduleUrl).pathname);
  const file = m ? m[1] : moduleUrl;
  const i = counters.get(file) || 0;
  counters.set(file, i + 1);
  const key = `${file}#${i}`;
  if (typeof comp.template === 'string') {
    const r = renders[key];
    if (r && r.hash === templateHash(comp.template)) {
      comp.render = r.render;
      delete comp.template;
    } else {
      console.warn(`模板未预编译或已过期：${key}（运行 node web/tools/compile-templates.mjs）`);
    }
  }
  return comp;
}
