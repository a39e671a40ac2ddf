// Headless-browser tests of the operator console at /operator: the hand-off
// from a person's web chat to a person at the clinic and back, sign-in
// errors, accessibility (axe-core) and screenshots at desktop and 360 px.
//
// Run through tests/browser/run, which starts `reconnect serve` with an
// operator token and sets RECONNECT_URL, RECONNECT_OPERATOR_TOKEN and
// ARTIFACTS_DIR.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DESKTOP,
  PHONE,
  baseUrl,
  formatViolations,
  launchBrowser,
  newContext,
  operatorToken,
  runAxe,
  screenshot,
  waitFor,
  watchConsole,
} from './helpers.mjs';

const CRISIS = "I don't want to be alive anymore";
const REPLY = "I'm here with you. Are you somewhere safe?";
const USER_DURING_HANDOFF = 'I am at home on the sofa';
const QUESTION = 'what is EMDR?';
const OPERATOR_NAME = 'Sam';
// Words that only appear as message text in these tests: none of them may
// ever reach the browser console.
const PRIVATE_TEXTS = [CRISIS, REPLY, USER_DURING_HANDOFF, 'at home on the sofa'];

// Long-polls answer within 25 s; live updates get a little more.
const LIVE_MS = 35_000;

let browser;

before(async () => {
  assert.ok(operatorToken, 'RECONNECT_OPERATOR_TOKEN must be set (tests/browser/run sets it)');
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

// ------------------------------------------------------------------ helpers

async function operatorApi(path, init = {}) {
  const res = await fetch(baseUrl + path, {
    ...init,
    headers: { Authorization: `Bearer ${operatorToken}`, 'Content-Type': 'application/json', ...(init.headers || {}) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

// The escalation (as the operator API returns it) for a web conversation.
async function escalationFor(conversationId) {
  return waitFor(async () => {
    const { status, body } = await operatorApi('/v1/operator/escalations?limit=100');
    assert.equal(status, 200, 'the operator API lists escalations');
    return (body.escalations || []).find((e) => e.conversation_id === conversationId);
  }, { timeoutMs: 10_000, intervalMs: 200, message: `an escalation for conversation ${conversationId}` });
}

// Starts a web conversation through the web chat API and sends a crisis
// message; returns the escalation's id.
async function escalateThroughApi(text = CRISIS) {
  const headers = { 'Content-Type': 'application/json', Origin: baseUrl };
  const started = await fetch(`${baseUrl}/v1/web/conversations`, { method: 'POST', headers });
  assert.ok(started.ok, `a web conversation starts (${started.status})`);
  const { conversation_id: conversationId } = await started.json();
  const sent = await fetch(`${baseUrl}/v1/web/conversations/${conversationId}/messages`, {
    method: 'POST', headers, body: JSON.stringify({ text }),
  });
  assert.ok(sent.ok, `the crisis message is answered (${sent.status})`);
  const reply = await sent.json();
  assert.equal(reply.escalation && reply.escalation.escalated, true, 'the message escalates');
  return (await escalationFor(conversationId)).id;
}

async function signIn(page, { token = operatorToken, name = OPERATOR_NAME } = {}) {
  await page.goto(`${baseUrl}/operator`);
  await page.getByTestId('token').fill(token);
  await page.getByTestId('name').fill(name);
  await page.getByTestId('sign-in').click();
}

async function signedInConsole(options = {}) {
  const context = await newContext(browser, options);
  // Counts the console's beeps (WebAudio oscillators started).
  await context.addInitScript(() => {
    window.__beeps = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) {
      window.__beeps += 1;
      return start.apply(this, args);
    };
  });
  const page = await context.newPage();
  const seen = watchConsole(page);
  await signIn(page);
  await page.getByTestId('escalation-list').waitFor({ state: 'visible' });
  return { context, page, seen };
}

const item = (page, id) => page.locator(`[data-testid="escalation-item"][data-id="${id}"]`);

async function selectEscalation(page, id) {
  await item(page, id).waitFor({ timeout: LIVE_MS });
  await item(page, id).getByRole('button').click();
  await page.getByTestId('conversation').getByText(CRISIS).first().waitFor();
}

function assertNoPrivateTextLogged(seen) {
  for (const line of seen.messages.concat(seen.pageErrors)) {
    for (const secret of PRIVATE_TEXTS) {
      assert.ok(!line.includes(secret), `message text must never be logged to the console: ${line}`);
    }
  }
  assert.deepEqual(seen.pageErrors, [], 'no uncaught errors in the page');
}

// Call before runAxe: injecting axe may itself be refused by the CSP.
function assertNoCspViolations(seen) {
  assert.deepEqual(seen.cspViolations, [], 'no Content-Security-Policy violations');
}

// ------------------------------------------------------------------ tests

describe('operator console', () => {
  test('hand-off end to end: the user escalates, a person replies live, then releases to the guide', { timeout: 180_000 }, async () => {
    // The operator signs in first, so the escalation has to arrive live.
    const op = await signedInConsole();
    const userContext = await newContext(browser);
    try {
      await op.page.evaluate(() => { window.__sameDocument = true; });
      const user = await userContext.newPage();
      const userSeen = watchConsole(user);
      await user.goto(`${baseUrl}/`);

      // The web chat API issues the conversation id: take it from the answer.
      const conversationStarted = user.waitForResponse(
        (r) => r.request().method() === 'POST' && /\/v1\/web\/conversations\/?$/.test(new URL(r.url()).pathname),
        { timeout: 20_000 });
      await user.getByTestId('launcher').click();
      await user.getByTestId('panel').waitFor({ state: 'visible' });
      await user.getByTestId('input').fill(CRISIS);
      await user.getByTestId('send').click();
      await user.getByTestId('resource-card').first().waitFor({ state: 'visible' });
      const { conversation_id: conversationId } = await (await conversationStarted).json();
      assert.match(conversationId, /^[0-9a-f]{32}$/);

      // It appears in the console without a reload, with a visual cue.
      const { id } = await escalationFor(conversationId);
      const row = item(op.page, id);
      await row.waitFor({ state: 'visible', timeout: LIVE_MS });
      assert.equal(await row.getAttribute('data-state'), 'open');
      assert.equal(await op.page.evaluate(() => window.__sameDocument), true, 'the console was not reloaded');
      await op.page.getByTestId('new-alert').waitFor({ state: 'visible' });
      assert.match(await op.page.title(), /^\(\d+\)/, 'the tab title counts new escalations');
      const rowText = await row.innerText();
      assert.match(rowText, /suicide/i, 'the category is shown in plain words');
      assert.match(rowText, /web chat/i, 'the channel is shown');
      assert.doesNotMatch(rowText, /crisis\./, 'no internal category codes');
      await waitFor(async () => /new escalation/i.test(await op.page.locator('#announce-urgent').textContent()),
        { message: 'the new escalation announced to screen readers' });
      await waitFor(() => op.page.evaluate(() => window.__beeps > 0),
        { message: 'a beep (signing in was the user gesture that allows audio)' });

      // The operator opens it: the trigger is shown, the alert clears.
      await selectEscalation(op.page, id);
      assert.equal(await op.page.getByTestId('ack').isEnabled(), true);
      assert.equal(await op.page.getByTestId('release').isEnabled(), true);

      // Acknowledge.
      await op.page.getByTestId('ack').click();
      await op.page.locator(`[data-testid="escalation-item"][data-id="${id}"][data-state="acknowledged"]`).waitFor();
      await waitFor(() => op.page.getByTestId('ack').isDisabled(), { message: 'Acknowledge disabled once acknowledged' });
      assert.equal((await operatorApi(`/v1/operator/escalations/${id}`)).body.escalation.acknowledged_by, OPERATOR_NAME);

      // Reply: it reaches the user's widget as a message from a person.
      await op.page.getByTestId('reply-text').fill(REPLY);
      await op.page.getByTestId('reply-send').click();
      await op.page.locator('[data-testid="message"][data-sender="operator"]', { hasText: REPLY }).waitFor();
      assert.equal(await op.page.getByTestId('reply-text').inputValue(), '', 'the reply box is cleared once sent');
      await user.getByTestId('message-operator').filter({ hasText: REPLY }).waitFor({ state: 'visible', timeout: LIVE_MS });

      // The user answers: it appears in the console live.
      await user.getByTestId('input').fill(USER_DURING_HANDOFF);
      await user.getByTestId('send').click();
      await op.page.locator('[data-testid="message"][data-sender="user"]', { hasText: USER_DURING_HANDOFF })
        .waitFor({ timeout: LIVE_MS });

      // Release: the user is told the guide is back, and the guide answers again.
      const guideBefore = await user.getByTestId('message-guide').count();
      await op.page.getByTestId('release').click();
      await op.page.locator(`[data-testid="escalation-item"][data-id="${id}"][data-state="released"]`).waitFor();
      await waitFor(async () => (await op.page.getByTestId('release').isDisabled())
        && (await op.page.getByTestId('ack').isDisabled())
        && (await op.page.getByTestId('resolve').isEnabled()), { message: 'actions follow the released state' });
      await waitFor(async () => (await user.getByTestId('message-guide').count()) > guideBefore,
        { timeoutMs: LIVE_MS, intervalMs: 200, message: "the guide's notice in the widget after release" });
      await op.page.locator('[data-testid="message"][data-sender="guide"]').first().waitFor();

      const answersBefore = await user.getByTestId('message-guide').count();
      await user.getByTestId('input').fill(QUESTION);
      await user.getByTestId('send').click();
      // The answer may come in several bubbles: read them all.
      const answer = await waitFor(async () => {
        const texts = await user.getByTestId('message-guide').allInnerTexts();
        const fresh = texts.slice(answersBefore).join('\n');
        return /EMDR|Eye Movement/i.test(fresh) && fresh;
      }, { timeoutMs: 15_000, intervalMs: 100, message: "the guide's answer about EMDR" });
      assert.doesNotMatch(answer, /passed that on|gone to the team|a person will/i, 'not a hand-off holding message');

      // Resolve closes it.
      await op.page.getByTestId('resolve').click();
      await op.page.locator(`[data-testid="escalation-item"][data-id="${id}"][data-state="resolved"]`).waitFor();

      assertNoPrivateTextLogged(op.seen);
      assertNoPrivateTextLogged(userSeen);
      assertNoCspViolations(op.seen);
    } finally {
      await userContext.close();
      await op.context.close();
    }
  });

  test('a wrong token shows a sign-in error and no data', { timeout: 60_000 }, async () => {
    await escalateThroughApi();  // there is something it must not show
    const context = await newContext(browser);
    try {
      const page = await context.newPage();
      const seen = watchConsole(page);
      await signIn(page, { token: `${operatorToken}-wrong` });
      const error = page.getByTestId('sign-in-error');
      await error.waitFor({ state: 'visible' });
      assert.match(await error.innerText(), /not accepted/i);
      assert.equal(await page.getByTestId('token').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByTestId('escalation-list').isVisible(), false, 'the console stays hidden');
      assert.equal(await page.getByTestId('escalation-item').count(), 0, 'no escalation is shown');
      assert.equal(await page.evaluate(() => sessionStorage.getItem('reconnect.operator.token')), null,
        'a refused token is not kept');
      assertNoCspViolations(seen);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `axe on the sign-in form with its error:\n${formatViolations(violations)}`);
      await screenshot(page, 'operator-sign-in-error');
      assertNoPrivateTextLogged(seen);
    } finally {
      await context.close();
    }
  });

  test('axe-core: no serious or critical violations, signed in with an escalation selected', { timeout: 90_000 }, async () => {
    const id = await escalateThroughApi();
    // A conversation with messages in it, as it usually is.
    const sent = await operatorApi(`/v1/operator/escalations/${id}/messages`, {
      method: 'POST', body: JSON.stringify({ person: 'Alex', text: REPLY }),
    });
    assert.equal(sent.status, 200, 'the operator API sends a reply');
    for (const [label, viewport] of [['desktop', DESKTOP], ['360 px', PHONE]]) {
      const { context, page, seen } = await signedInConsole({ viewport });
      try {
        // Keyboard: the escalation can be reached and opened without a mouse.
        await item(page, id).waitFor();
        await item(page, id).getByRole('button').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('conversation').getByText(CRISIS).first().waitFor();
        await page.locator('[data-testid="message"][data-sender="operator"]', { hasText: REPLY }).waitFor();
        assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id),
          'conversation-heading', 'opening an escalation moves focus to the conversation');
        assertNoCspViolations(seen);
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, `axe at ${label}:\n${formatViolations(violations)}`);
        assertNoPrivateTextLogged(seen);
      } finally {
        await context.close();
      }
    }
  });

  test('screenshots at desktop and 360 px', { timeout: 90_000 }, async () => {
    const id = await escalateThroughApi();
    for (const [name, viewport] of [['operator-desktop', DESKTOP], ['operator-360', PHONE]]) {
      const { context, page } = await signedInConsole({ viewport });
      try {
        await selectEscalation(page, id);
        await page.getByTestId('reply-text').waitFor({ state: 'visible' });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no sideways scrolling at ${viewport.width} px (overflow ${overflow} px)`);
        await page.evaluate(() => window.scrollTo(0, 0));
        await screenshot(page, name, { fullPage: true });
      } finally {
        await context.close();
      }
    }
  });
});
