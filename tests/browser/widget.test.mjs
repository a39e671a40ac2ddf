// The web chat widget on the demo clinic page, in headless Chromium against
// a real `reconnect serve` (see tests/browser/run).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  baseUrl,
  DESKTOP,
  formatViolations,
  launchBrowser,
  newContext,
  PHONE,
  runAxe,
  screenshot,
  waitFor,
  watchConsole,
} from './helpers.mjs';

const EMDR = 'What is EMDR?';
const CRISIS = "I don't want to be alive anymore";
const STORE_KEY = 'reconnect-widget:conversation';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// Opens the demo page in a new context; returns {context, page, seen}.
async function openDemo(options = {}) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  const seen = watchConsole(page);
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('launcher').waitFor();
  return { context, page, seen };
}

async function openPanel(page) {
  await page.getByTestId('launcher').click();
  await page.getByTestId('panel').waitFor({ state: 'visible' });
}

// Sends text with the Send button and waits until the guide's answer to it
// has arrived (the typing indicator is gone and more guide messages show).
async function sendAndWait(page, text) {
  const before = await page.getByTestId('message-guide').count();
  await page.getByTestId('input').fill(text);
  await page.getByTestId('send').click();
  await waitFor(async () => (await page.getByTestId('message-guide').count()) > before, {
    message: `an answer to "${text}"`,
  });
  await page.getByTestId('typing').waitFor({ state: 'hidden' });
}

// The data-testid of the focused element, looking inside shadow roots.
function focusedTestId(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el ? el.getAttribute('data-testid') || el.tagName.toLowerCase() : null;
  });
}

// Nothing the person wrote may reach the console, and the page's CSP must
// not have refused anything the widget does.
function assertCleanConsole(seen, texts) {
  assert.deepEqual(seen.cspViolations, [], 'CSP violations');
  assert.deepEqual(seen.pageErrors, [], 'page errors');
  for (const message of seen.messages) {
    for (const text of texts) {
      assert.ok(!message.includes(text), `console shows message text: ${message}`);
    }
  }
}

describe('web chat widget', () => {
  test('answers a question with chips; a chip gets a new answer; a crisis gets resources', async () => {
    const { context, page, seen } = await openDemo();
    try {
      // Neutral on every screen edge.
      assert.equal(await page.title(), 'Reconnect Counselling');
      await openPanel(page);
      const panel = page.getByTestId('panel');
      assert.equal(await panel.getAttribute('role'), 'dialog');
      assert.match(await panel.evaluate((el) => el.getRootNode().getElementById(el.getAttribute('aria-labelledby').split(' ')[0]).textContent), /^Chat$/);
      assert.equal(await focusedTestId(page), 'input', 'focus moves into the panel');
      // Always there: quick exit, talk to a person, the notice with a number.
      await page.locator('[data-testid=quick-exit]:visible').waitFor();
      await page.getByTestId('talk-to-person').waitFor();
      const notice = page.getByTestId('notice');
      assert.match(await notice.innerText(), /not a therapist/);
      assert.match(await notice.locator('a[href^="tel:"]').getAttribute('href'), /^tel:\d+$/);

      await sendAndWait(page, EMDR);
      assert.match(await page.getByTestId('message-user').last().innerText(), /What is EMDR\?/);
      assert.match(await page.getByTestId('message-guide').first().innerText(), /EMDR/);
      const chips = page.getByTestId('chip');
      assert.ok((await chips.count()) > 0, 'chips under the answer');
      await screenshot(page, 'widget-desktop-answer');

      const label = (await chips.first().innerText()).trim();
      const guideBefore = await page.getByTestId('message-guide').count();
      await chips.first().click();
      await waitFor(async () => (await page.getByTestId('message-guide').count()) > guideBefore, {
        message: 'an answer to the chip',
      });
      assert.equal((await page.getByTestId('message-user').last().innerText()).replace(/^You said:\s*/, ''), label);
      assert.equal(await page.getByTestId('message-user').count(), 2);

      // The conversation id lives in sessionStorage, and nowhere else.
      const stored = await page.evaluate((k) => JSON.parse(sessionStorage.getItem(k)), STORE_KEY);
      assert.match(stored.id, /^[0-9a-f]{32}$/);
      assert.equal(await page.evaluate(() => localStorage.length), 0);
      assert.equal((await context.cookies()).length, 0);

      // A crisis message: the resource card, with tap-to-call links.
      await sendAndWait(page, CRISIS);
      const card = page.getByTestId('resource-card');
      await card.waitFor();
      const name = await card.evaluate((el) => el.getRootNode().getElementById(el.getAttribute('aria-labelledby')).textContent);
      assert.match(name, /help/i, 'a labelled region');
      const tel = card.locator('a[href^="tel:"]');
      assert.ok((await tel.count()) > 0, 'tel: links in the card');
      assert.match(await tel.first().getAttribute('href'), /^tel:\+?\d+$/);
      await screenshot(page, 'widget-desktop-crisis');
      assertCleanConsole(seen, [EMDR, label, CRISIS]);
    } finally {
      await context.close();
    }
  });

  test('the transcript survives a reload; Clear conversation forgets it', async () => {
    const { context, page } = await openDemo();
    try {
      await openPanel(page);
      await sendAndWait(page, EMDR);
      const guideCount = await page.getByTestId('message-guide').count();
      await page.reload();
      await page.getByTestId('panel').waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId('message-user').count(), 1);
      assert.equal(await page.getByTestId('message-guide').count(), guideCount);
      assert.ok((await page.getByTestId('chip').count()) > 0, 'chips restored');

      await page.getByTestId('clear').click();
      assert.equal(await page.getByTestId('message-user').count(), 0);
      assert.equal(await page.getByTestId('message-guide').count(), 0);
      const stored = await page.evaluate((k) => JSON.parse(sessionStorage.getItem(k) || '{}'), STORE_KEY);
      assert.ok(!stored.id, 'no conversation id after clearing');

      // A new tab (a new session) starts afresh.
      const other = await context.newPage();
      await other.goto(`${baseUrl}/`);
      await other.getByTestId('launcher').waitFor();
      assert.equal(await other.evaluate(() => sessionStorage.length), 0);
    } finally {
      await context.close();
    }
  });

  test('Quick exit (button) leaves for the neutral page and forgets everything', async () => {
    const { context, page } = await openDemo();
    try {
      await openPanel(page);
      await sendAndWait(page, EMDR);
      assert.ok(await page.evaluate(() => sessionStorage.length > 0));
      await page.locator('[data-testid=quick-exit]:visible').click();
      await page.waitForURL(`${baseUrl}/neutral.html`);
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
      assert.doesNotMatch(await page.content(), /Reconnect Counselling|reconnect-widget/i);
      // Back does not return to the clinic page (replace, not push).
      await page.goBack().catch(() => null);
      assert.notEqual(page.url(), `${baseUrl}/`);

      // The one beside the launcher, with the panel closed, too.
      const page2 = await context.newPage();
      await page2.goto(`${baseUrl}/`);
      const dockExit = page2.locator('[data-testid=quick-exit]:visible');
      assert.equal(await dockExit.count(), 1, 'quick exit visible next to the launcher');
      await dockExit.click();
      await page2.waitForURL(`${baseUrl}/neutral.html`);
    } finally {
      await context.close();
    }
  });

  test('Escape closes the panel; Escape twice quickly exits', async () => {
    const { context, page } = await openDemo();
    try {
      await openPanel(page);
      await sendAndWait(page, EMDR);
      await page.keyboard.press('Escape');
      await page.getByTestId('panel').waitFor({ state: 'hidden' });
      assert.equal(await focusedTestId(page), 'launcher', 'focus back on the launcher');
      await page.waitForTimeout(1100); // two Escapes further apart than 1 s: no exit
      await page.keyboard.press('Escape');
      await page.waitForTimeout(100);
      assert.equal(page.url(), `${baseUrl}/`);

      await page.keyboard.press('Enter'); // the launcher has focus
      await page.getByTestId('panel').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.waitForURL(`${baseUrl}/neutral.html`);
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    } finally {
      await context.close();
    }
  });

  test('works with the keyboard alone', async () => {
    const { context, page, seen } = await openDemo();
    try {
      let focused = null;
      for (let i = 0; i < 30 && focused !== 'launcher'; i++) {
        await page.keyboard.press('Tab');
        focused = await focusedTestId(page);
      }
      assert.equal(focused, 'launcher', 'Tab reaches the launcher');
      // The focus outline is visible.
      const outline = await page.evaluate(() => {
        const el = document.querySelector('#reconnect-widget').shadowRoot.activeElement;
        const s = getComputedStyle(el);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      assert.notEqual(outline.style, 'none');
      assert.ok(outline.width >= 2, `outline ${outline.width}px`);

      await page.keyboard.press('Enter');
      await page.getByTestId('panel').waitFor({ state: 'visible' });
      assert.equal(await focusedTestId(page), 'input');
      await page.keyboard.type(EMDR);
      await page.keyboard.press('Enter');
      await page.getByTestId('chip').first().waitFor();
      await page.getByTestId('typing').waitFor({ state: 'hidden' });
      const guideBefore = await page.getByTestId('message-guide').count();

      focused = await focusedTestId(page);
      for (let i = 0; i < 40 && focused !== 'chip'; i++) {
        await page.keyboard.press('Tab');
        focused = await focusedTestId(page);
      }
      assert.equal(focused, 'chip', 'Tab reaches a chip');
      await page.keyboard.press('Enter');
      await waitFor(async () => (await page.getByTestId('message-guide').count()) > guideBefore, {
        message: 'an answer to the chip',
      });
      assert.equal(await page.getByTestId('message-user').count(), 2);
      assertCleanConsole(seen, [EMDR]);
    } finally {
      await context.close();
    }
  });

  test('axe finds no serious or critical problems', async () => {
    const { context, page } = await openDemo();
    try {
      let violations = await runAxe(page);
      assert.deepEqual(violations, [], `closed:\n${formatViolations(violations)}`);
      await openPanel(page);
      await sendAndWait(page, EMDR);
      await sendAndWait(page, CRISIS);
      await page.getByTestId('resource-card').waitFor();
      violations = await runAxe(page);
      assert.deepEqual(violations, [], `with a conversation:\n${formatViolations(violations)}`);

      await page.setViewportSize(PHONE);
      violations = await runAxe(page);
      assert.deepEqual(violations, [], `at 360 px:\n${formatViolations(violations)}`);

      // The neutral page too.
      await page.goto(`${baseUrl}/neutral.html`);
      violations = await runAxe(page);
      assert.deepEqual(violations, [], `neutral page:\n${formatViolations(violations)}`);
    } finally {
      await context.close();
    }
  });

  test('fits a 360 px phone without horizontal scrolling; respects reduced motion', async () => {
    const { context, page } = await openDemo({ viewport: PHONE, isMobile: true, hasTouch: true });
    try {
      const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok((await scrollWidth()) <= PHONE.width, 'closed');
      await screenshot(page, 'widget-phone-closed');
      await page.getByTestId('launcher').tap();
      await page.getByTestId('panel').waitFor({ state: 'visible' });
      const box = await page.getByTestId('panel').boundingBox();
      assert.equal(Math.round(box.width), PHONE.width, 'full-width panel');
      await sendAndWait(page, EMDR);
      assert.ok((await scrollWidth()) <= PHONE.width, `open: ${await scrollWidth()}`);
      // Everything that must always show is inside the screen.
      for (const id of ['quick-exit', 'talk-to-person', 'notice', 'input', 'send']) {
        const b = await page.locator(`[data-testid=${id}]:visible`).boundingBox();
        assert.ok(b && b.x >= 0 && b.x + b.width <= PHONE.width && b.y >= 0 && b.y + b.height <= PHONE.height, `${id} on screen`);
      }
      await screenshot(page, 'widget-phone-answer');
      // prefers-reduced-motion: no animation.
      assert.notEqual(await page.getByTestId('panel').evaluate((el) => getComputedStyle(el).animationName), 'none');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      assert.equal(await page.getByTestId('panel').evaluate((el) => getComputedStyle(el).animationName), 'none');
      await page.setViewportSize(DESKTOP);
      await screenshot(page, 'widget-desktop-after-phone');
    } finally {
      await context.close();
    }
  });

  test('when the gateway is unreachable: a calm error, Retry, the number stays', async () => {
    const { context, page, seen } = await openDemo();
    try {
      const sent = [];
      const abortAll = (route) => {
        if (route.request().url().includes('/messages')) sent.push(route.request().postDataJSON());
        return route.abort('connectionrefused');
      };
      await page.route('**/v1/web/**', abortAll);
      await openPanel(page);
      await page.getByTestId('input').fill('Hello');
      await page.getByTestId('send').click();
      const error = page.getByTestId('error');
      await error.waitFor();
      assert.match(await error.innerText(), /try again/i);
      await page.getByTestId('retry').waitFor();
      assert.equal(await page.getByTestId('typing').isVisible(), false);
      // The emergency number shows in the notice and in the error.
      const notice = page.getByTestId('notice');
      assert.ok(await notice.isVisible());
      assert.match(await notice.locator('a[href^="tel:"]').getAttribute('href'), /^tel:\d+$/);
      assert.ok((await error.locator('a[href^="tel:"]').count()) > 0);
      await screenshot(page, 'widget-desktop-unreachable');
      // The message is still there, once.
      assert.equal(await page.getByTestId('message-user').count(), 1);

      // The gateway answers again but the message is lost on the way:
      // Retry resends it with the same message_id each time.
      await page.unroute('**/v1/web/**', abortAll);
      await page.route('**/v1/web/conversations/*/messages', abortAll);
      await page.getByTestId('retry').click();
      await waitFor(() => sent.length >= 1, { message: 'a message request' });
      await error.waitFor();
      await page.getByTestId('retry').waitFor();

      await page.unroute('**/v1/web/conversations/*/messages', abortAll);
      const request = page.waitForRequest((r) => r.url().includes('/messages') && r.method() === 'POST');
      await page.getByTestId('retry').click();
      const body = (await request).postDataJSON();
      assert.equal(body.text, 'Hello');
      assert.equal(body.message_id, sent[0].message_id, 'Retry resends the same message_id');
      await page.getByTestId('message-guide').first().waitFor();
      await error.waitFor({ state: 'hidden' });
      assert.equal(await page.getByTestId('message-user').count(), 1);
      assertCleanConsole(seen, []);
    } finally {
      await context.close();
    }
  });

  test('shows a person at the clinic by name, and the guide\'s notices', async () => {
    const { context, page } = await openDemo();
    try {
      let calls = 0;
      await page.route('**/v1/web/conversations/*/events*', async (route) => {
        calls++;
        const after = Number(new URL(route.request().url()).searchParams.get('after'));
        if (after === 0) {
          return route.fulfill({
            json: {
              events: [
                { seq: 1, sender: 'operator', author: 'Sam', text: "Hi, I'm Sam. I'm here if you'd like to talk." },
                { seq: 2, sender: 'guide', author: '', text: 'Sam has left the conversation.' },
              ],
              last_seq: 2,
            },
          });
        }
        await new Promise((r) => setTimeout(r, 500));
        return route.fulfill({ json: { events: [], last_seq: after } }).catch(() => {});
      });
      await openPanel(page);
      await sendAndWait(page, 'Talk to a person');
      const op = page.getByTestId('message-operator');
      await op.waitFor();
      const text = await op.innerText();
      assert.match(text, /Sam from Reconnect Counselling/);
      assert.match(text, /I'm here if you'd like to talk/);
      await waitFor(async () => (await page.getByTestId('message-guide').allInnerTexts()).some((t) => t.includes('Sam has left')), {
        message: 'the guide notice',
      });
      // Polling goes on, asking only for what is new.
      await waitFor(() => calls >= 2, { message: 'a second poll' });
      assert.equal(await op.count(), 1, 'each event shown once');
      await screenshot(page, 'widget-desktop-operator');
    } finally {
      await context.close();
    }
  });

  test('the emergency number comes from the clinic, and is kept when the gateway goes', async () => {
    const { context, page } = await openDemo();
    try {
      await page.route('**/v1/web/clinic*', (route) =>
        route.fulfill({ json: { clinic_name: 'Reconnect Counselling', region: 'UK', emergency_number: '999', resources: [] } }),
      );
      await page.reload();
      await openPanel(page);
      const tel = page.getByTestId('notice').locator('a[href^="tel:"]');
      await waitFor(async () => (await tel.getAttribute('href')) === 'tel:999', { message: 'tel:999' });

      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await page.route('**/v1/web/**', (route) => route.abort());
      await page.reload();
      await page.getByTestId('panel').waitFor({ state: 'visible' });
      assert.equal(await tel.getAttribute('href'), 'tel:999', 'cached number');

      // No answer ever and nothing cached: the page's data-emergency-number.
      const fresh = await context.newPage();
      await fresh.route('**/v1/web/**', (route) => route.abort());
      await fresh.goto(`${baseUrl}/`);
      await openPanel(fresh);
      assert.equal(await fresh.getByTestId('notice').locator('a[href^="tel:"]').getAttribute('href'), 'tel:911');
    } finally {
      await context.close();
    }
  });

  test('a light data-color still gives readable text', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    try {
      // A clinic page with a pale yellow brand colour and the launcher on the left.
      await page.route(`${baseUrl}/light-clinic.html`, (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          headers: { 'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'" },
          body: `<!doctype html><html lang="en"><head><title>Clinic</title></head><body><main><h1>Clinic</h1></main>
            <script src="/widget.js" data-color="#f5d000" data-position="left" data-clinic-name="Sunny Clinic" defer></script></body></html>`,
        }),
      );
      await page.goto(`${baseUrl}/light-clinic.html`);
      const launcher = page.getByTestId('launcher');
      const box = await launcher.boundingBox();
      assert.ok(box.x < DESKTOP.width / 2, 'launcher on the left');
      assert.equal(await launcher.evaluate((el) => getComputedStyle(el).color), 'rgb(27, 27, 27)', 'dark text on a light colour');
      await launcher.click();
      await sendAndWait(page, EMDR);
      const violations = await runAxe(page);
      assert.deepEqual(violations, [], formatViolations(violations));
    } finally {
      await context.close();
    }
  });
});
