// tests/ui/lib.mjs — browser tests: the API harness's server + headless Debian chromium driven by
// playwright-core (no browser download; executablePath /usr/bin/chromium, override ZX_CHROMIUM).
//
//   import { startServer, launchBrowser, shot } from './lib.mjs';
//   const zx = await startServer();            // tests/api/lib.mjs: fresh store, init --demo, serve
//   const ui = await launchBrowser();          // { context, page, close() }, fresh profile dir
//   await ui.page.goto(zx.base + '/');
//   await shot(ui.page, 'ui-home');            // test-results/ui-home.png
//   await ui.close(); await zx.stop();
//
// Console errors and failed requests of the page are collected in ui.errors (assert on them).
// UI contract with web/: [data-test=username], [data-test=password], [data-test=login] on the login
// form, [data-test=login-error] for a failed login; [data-test=user-court] and [data-test=role-label]
// on the home page (agreed with the UI engineer).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../api/lib.mjs';
export { startServer, ROLE, ROOT, PASSWORDS } from '../api/lib.mjs';

export const CHROMIUM = process.env.ZX_CHROMIUM || '/usr/bin/chromium';
// Flags known to work on these machines (closed network, running as root, no GPU).
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchBrowser({ viewport = { width: 1366, height: 800 } } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'zx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport, locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai', timeout: 60000,
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  // a request the page itself abandoned by navigating away (net::ERR_ABORTED) is not an application error
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
  return {
    context, page, errors,
    async close() { await context.close().catch(() => {}); fs.rmSync(profile, { recursive: true, force: true }); },
  };
}

export async function shot(page, name) {
  const dir = path.join(ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
