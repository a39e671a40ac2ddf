// Shared helpers for the headless-browser tests (widget and operator
// console). Uses Debian's Chromium through playwright-core: no browser is
// downloaded.
//
//   import { launchBrowser, newContext, runAxe, screenshot, baseUrl } from './helpers.mjs';
//
// Environment (set by tests/browser/run):
//   RECONNECT_URL             the gateway, e.g. http://127.0.0.1:18080
//   RECONNECT_OPERATOR_TOKEN  the operator token the server was started with
//   ARTIFACTS_DIR             where screenshots go (build/browser-artifacts)
//   CHROMIUM                  the browser binary (default /usr/bin/chromium)
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const baseUrl = (process.env.RECONNECT_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const operatorToken = process.env.RECONNECT_OPERATOR_TOKEN || '';
export const artifactsDir =
  process.env.ARTIFACTS_DIR || path.resolve(here, '..', '..', 'build', 'browser-artifacts');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const axePath = require.resolve('axe-core/axe.min.js');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

// Launches Chromium headless with a fresh profile (playwright makes a new
// temporary user data dir for each launch and removes it on close).
export async function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: LAUNCH_ARGS,
    timeout: 30_000,
    ...options,
  });
}

// A persistent-profile launch, for tests that need one; the directory is
// new and removed by the returned close().
export async function launchPersistent(options = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'reconnect-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    args: LAUNCH_ARGS,
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// A new browser context (its own cookies and storage). Options are
// playwright's newContext options; the defaults are a desktop viewport and
// English (US).
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({
    viewport: DESKTOP,
    locale: 'en-US',
    ...options,
  });
  context.setDefaultTimeout(10_000);
  return context;
}

// Collects what a page logs and the Content-Security-Policy violations it
// reports, for asserting on later.
export function watchConsole(page) {
  const seen = { messages: [], cspViolations: [], pageErrors: [] };
  page.on('console', (msg) => {
    const text = msg.text();
    seen.messages.push(`${msg.type()}: ${text}`);
    if (/Content Security Policy/i.test(text)) seen.cspViolations.push(text);
  });
  page.on('pageerror', (err) => seen.pageErrors.push(String(err)));
  return seen;
}

// Runs axe-core on the page with the WCAG 2.0/2.1 A and AA rules and
// returns the violations whose impact is serious or critical, as
// [{id, impact, help, nodes: [{target, summary}]}]. axe is evaluated through
// the DevTools protocol, which the pages' CSP (no inline scripts) allows;
// page.addScriptTag({path}) is the fallback.
let axeSource = null;
export async function runAxe(page, { include, exclude, impacts = ['serious', 'critical'] } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    axeSource ??= readFileSync(axePath, 'utf8');
    await page.evaluate(`${axeSource}\n;void 0`).catch(() => {});
  }
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: axePath });
  }
  const results = await page.evaluate(
    async ({ include, exclude }) => {
      const context = include || exclude ? { include: include || undefined, exclude: exclude || [] } : document;
      const r = await window.axe.run(context, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
      }));
    },
    { include, exclude },
  );
  return results.filter((v) => impacts.includes(v.impact));
}

// A readable one-line-per-problem text of axe violations, for assertion
// messages.
export function formatViolations(violations) {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n` + v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.summary || ''}`).join('\n'))
    .join('\n');
}

// Saves a full-page screenshot as ARTIFACTS_DIR/<name>.png and returns the
// path.
export async function screenshot(page, name, options = {}) {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled', ...options });
  return file;
}

// Polls fn() until it returns a truthy value or timeoutMs passes.
export async function waitFor(fn, { timeoutMs = 10_000, intervalMs = 50, message = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${message}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
