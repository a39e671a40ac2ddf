// Reconnect operator console: people at the clinic pick up conversations the
// guide has handed to a person. Plain JavaScript, no framework, no build step.
//
// Privacy: message text is health information. It is only ever put into the
// page with textContent, never logged, and the operator token and name live in
// sessionStorage only (gone when the tab closes).
'use strict';

(function () {
  const KEY_TOKEN = 'reconnect.operator.token';
  const KEY_NAME = 'reconnect.operator.name';
  const KEY_SOUND = 'reconnect.operator.sound';
  const BASE_TITLE = 'Reconnect · Operator console';
  const API = '/v1/operator';
  const POLL_WAIT_S = 25;
  const POLL_ABORT_MS = (POLL_WAIT_S + 20) * 1000;

  // States in which the conversation is with a person.
  const WITH_PERSON = new Set(['open', 'acknowledged']);

  const CATEGORY_WORDS = {
    'crisis.suicide': 'Thoughts of suicide',
    'crisis.self_harm': 'Self-harm',
    'crisis.abuse': 'Abuse',
    'crisis.assault': 'Assault',
    'crisis.sexual_assault_recent': 'Recent sexual assault',
    'crisis.medical': 'Medical emergency',
    'crisis.medical_emergency': 'Medical emergency',
    'crisis.immediate_danger': 'In danger now',
    'crisis.child_at_risk': 'A child at risk',
    'crisis.harm_to_others': 'Might harm someone else',
    'crisis.unscreened': 'Message could not be screened',
    'handoff.human': 'Asked to talk to a person',
  };
  const CHANNEL_WORDS = {
    web: 'Web chat', telegram: 'Telegram', sms: 'SMS', whatsapp: 'WhatsApp',
    messenger: 'Messenger', slack: 'Slack', cli: 'Terminal', grpc: 'API',
  };
  const STATE_WORDS = {
    open: 'Open', acknowledged: 'Acknowledged', released: 'Back with the guide',
    timed_out: 'Timed out', resolved: 'Resolved',
  };
  const WEBHOOK_WORDS = {
    pending: 'Webhook: sending', delivered: 'Webhook: delivered',
    gave_up: 'Webhook: gave up', not_configured: 'No webhook set up',
  };

  // ---------------------------------------------------------------- state

  const state = {
    token: '',
    name: '',
    session: 0,              // bumped on every sign-in and sign-out
    escalations: new Map(),  // id -> normalised record
    fresh: new Set(),        // new escalations nobody here has looked at yet
    activity: new Set(),     // escalations changed while not selected
    lastSeq: 0,              // largest change_seq seen on the changes feed
    pollAbort: null,
    selectedId: null,
    detailRequest: 0,
    rendered: { id: null, seqs: new Set() },
    busy: false,
    soundOn: true,
    audio: null,
  };

  // ---------------------------------------------------------------- helpers

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'text') node.textContent = v;
        else if (k === 'className') node.className = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children || []) {
      if (c !== null && c !== undefined) node.append(c);
    }
    return node;
  }

  // Reads a protobuf JSON field by its snake_case name, accepting the
  // lowerCamelCase spelling too; missing fields are the proto default.
  function field(obj, snake) {
    if (!obj) return undefined;
    if (obj[snake] !== undefined) return obj[snake];
    const camel = snake.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    return obj[camel];
  }
  const str = (obj, name) => {
    const v = field(obj, name);
    return v === undefined || v === null ? '' : String(v);
  };
  const num = (obj, name) => {
    const n = Number(field(obj, name));
    return Number.isFinite(n) ? n : 0;
  };

  function normRecord(r) {
    return {
      id: str(r, 'id'),
      conversationId: str(r, 'conversation_id'),
      channel: str(r, 'channel'),
      category: str(r, 'category'),
      rule: str(r, 'rule'),
      region: str(r, 'region'),
      state: str(r, 'state') || 'open',
      triggerText: str(r, 'trigger_text'),
      createdAt: num(r, 'created_at_unix_ms'),
      updatedAt: num(r, 'updated_at_unix_ms'),
      acknowledgedBy: str(r, 'acknowledged_by'),
      changeSeq: num(r, 'change_seq'),
      webhookState: str(r, 'webhook_state'),
      webhookAttempts: num(r, 'webhook_attempts'),
      webhookLastError: str(r, 'webhook_last_error'),
      reminders: num(r, 'reminders'),
    };
  }

  function normMessage(m) {
    return {
      seq: num(m, 'seq'),
      sender: str(m, 'sender') || 'guide',
      author: str(m, 'author'),
      text: str(m, 'text'),
      createdAt: num(m, 'created_at_unix_ms'),
    };
  }

  function humanize(code) {
    const last = String(code || '').split('.').pop().replace(/[_-]+/g, ' ').trim();
    return last ? last.charAt(0).toUpperCase() + last.slice(1) : 'Unknown';
  }
  const categoryWords = (c) => CATEGORY_WORDS[c] || humanize(c);
  const channelWords = (c) => CHANNEL_WORDS[c] || (c ? humanize(c) : 'Unknown channel');
  const stateWords = (s) => STATE_WORDS[s] || humanize(s);

  function ageWords(ms) {
    if (!ms) return '';
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 45) return 'just now';
    const m = Math.round(s / 60);
    if (m < 60) return m + ' min ago';
    const h = Math.round(m / 60);
    if (h < 24) return h + ' h ago';
    const d = Math.round(h / 24);
    return d === 1 ? '1 day ago' : d + ' days ago';
  }

  function timeWords(ms) {
    if (!ms) return '';
    const d = new Date(ms);
    const sameDay = new Date().toDateString() === d.toDateString();
    const opts = sameDay ? { hour: '2-digit', minute: '2-digit' }
      : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
    try { return d.toLocaleString(undefined, opts); } catch (_) { return d.toISOString(); }
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function announce(text, urgent) {
    const region = $(urgent ? 'announce-urgent' : 'announce');
    // Clear first so the same words are announced again.
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 60);
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.name = 'ApiError';
      this.status = status;
    }
  }

  async function api(method, path, body, signal) {
    const headers = { Authorization: 'Bearer ' + state.token, Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store', credentials: 'same-origin', signal };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network');
    }
    let data = null;
    try {
      const text = await res.text();
      data = text ? JSON.parse(text) : {};
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      data = null;
    }
    if (!res.ok) {
      throw new ApiError(res.status, (data && typeof data.error === 'string') ? data.error : res.statusText);
    }
    return data || {};
  }

  function problemWords(e) {
    if (!e || !e.status) return 'The server can’t be reached. Check the connection and try again.';
    switch (e.status) {
      case 401: return 'The operator token was not accepted.';
      case 403: return 'The operator API is turned off on this server.';
      case 404: return 'That escalation could not be found.';
      case 409: return 'This conversation is no longer with a person: it was handed back to the guide or resolved.';
      case 503: return 'The guide can’t be reached right now. Try again in a moment.';
      default: return 'Something went wrong (the server answered ' + e.status + '). Try again.';
    }
  }

  // ---------------------------------------------------------------- sign-in

  function showSignIn(error) {
    $('console-view').hidden = true;
    $('session').hidden = true;
    $('signin-view').hidden = false;
    const box = $('signin-error');
    if (error) {
      box.textContent = error;
      box.hidden = false;
      $('token').setAttribute('aria-invalid', 'true');
      $('token').focus();
    } else {
      box.hidden = true;
      box.textContent = '';
      $('token').removeAttribute('aria-invalid');
    }
    document.title = 'Sign in · ' + BASE_TITLE;
  }

  function resetData() {
    state.escalations.clear();
    state.fresh.clear();
    state.activity.clear();
    state.lastSeq = 0;
    state.selectedId = null;
    state.rendered = { id: null, seqs: new Set() };
    listNodes.clear();
    $('group-active').replaceChildren();
    $('group-closed').replaceChildren();
    $('messages').replaceChildren();
    $('conversation-body').hidden = true;
    $('conversation-placeholder').hidden = false;
    $('conversation-heading').textContent = 'Conversation';
    $('escalation-list').setAttribute('aria-busy', 'true');
  }

  function signOut(error) {
    state.session++;
    if (state.pollAbort) state.pollAbort.abort();
    state.pollAbort = null;
    state.token = '';
    try { sessionStorage.removeItem(KEY_TOKEN); } catch (_) { /* storage off */ }
    $('token').value = '';
    resetData();
    showSignIn(error);
  }

  async function signIn(token, name) {
    const gen = ++state.session;
    if (state.pollAbort) state.pollAbort.abort();
    state.token = token;
    state.name = name;
    resetData();
    let lists;
    try {
      lists = await Promise.all([
        api('GET', API + '/escalations?state=open&state=acknowledged&limit=100'),
        api('GET', API + '/escalations?limit=100'),
      ]);
    } catch (e) {
      if (gen !== state.session) return;
      state.token = '';
      // Only a refused token is forgotten; after an outage, signing in again works.
      if (e.status === 401) {
        try { sessionStorage.removeItem(KEY_TOKEN); } catch (_) { /* storage off */ }
      } else {
        $('token').value = token;
      }
      showSignIn(e.status === 401
        ? 'That operator token was not accepted. Check it and try again.'
        : 'Could not sign in. ' + problemWords(e));
      return;
    }
    if (gen !== state.session) return;
    try {
      sessionStorage.setItem(KEY_TOKEN, token);
      sessionStorage.setItem(KEY_NAME, name);
    } catch (_) { /* storage off: this tab still works */ }

    for (const list of lists) {
      for (const raw of list.escalations || []) {
        const r = normRecord(raw);
        if (!r.id) continue;
        const prev = state.escalations.get(r.id);
        if (!prev || r.changeSeq >= prev.changeSeq) state.escalations.set(r.id, r);
        if (r.changeSeq > state.lastSeq) state.lastSeq = r.changeSeq;
      }
    }

    $('signin-view').hidden = true;
    $('signin-error').hidden = true;
    $('console-view').hidden = false;
    $('session').hidden = false;
    $('session-name').textContent = name;
    $('escalation-list').setAttribute('aria-busy', 'false');
    renderList();
    renderAlert();
    const waiting = [...state.escalations.values()].filter((r) => r.state === 'open').length;
    announce('Signed in. ' + (waiting === 1 ? 'One escalation is waiting for a person.'
      : waiting + ' escalations are waiting for a person.'));
    $('main').focus();
    pollLoop(gen);
  }

  // ---------------------------------------------------------------- live updates

  async function pollLoop(gen) {
    let backoff = 1000;
    while (gen === state.session) {
      const ctrl = new AbortController();
      state.pollAbort = ctrl;
      let timedOut = false;
      const timer = setTimeout(() => { timedOut = true; ctrl.abort(); }, POLL_ABORT_MS);
      const started = Date.now();
      try {
        const data = await api('GET', API + '/changes?after=' + encodeURIComponent(String(state.lastSeq)) +
          '&wait=' + POLL_WAIT_S, undefined, ctrl.signal);
        clearTimeout(timer);
        if (gen !== state.session) return;
        setConnection(null);
        backoff = 1000;
        const advanced = applyChanges(data.escalations || []);
        // Never spin: an answer that came back at once with nothing new waits a moment.
        if (!advanced && Date.now() - started < 1000) await sleep(1000);
      } catch (e) {
        clearTimeout(timer);
        if (gen !== state.session) return;
        if (e && e.name === 'AbortError' && !timedOut) return;
        if (e && e.status === 401) {
          signOut('The operator token is no longer accepted. Please sign in again.');
          return;
        }
        const wait = backoff;
        backoff = Math.min(backoff * 2, 30000);
        if (!timedOut) {
          setConnection('Live updates paused. ' + problemWords(e) + ' Trying again in ' + Math.round(wait / 1000) + ' s.');
        }
        await sleep(wait);
      }
    }
  }

  function setConnection(text) {
    const box = $('connection');
    if (!text) {
      if (!box.hidden) announce('Live updates are back.');
      box.hidden = true;
      box.textContent = '';
      return;
    }
    box.textContent = text;
    box.hidden = false;
  }

  // Merges records from the changes feed. Returns whether the feed moved on.
  function applyChanges(raws) {
    let advanced = false;
    const newOnes = [];
    let selectedChanged = false;
    for (const raw of raws) {
      const r = normRecord(raw);
      if (!r.id) continue;
      if (r.changeSeq > state.lastSeq) {
        state.lastSeq = r.changeSeq;
        advanced = true;
      }
      const prev = state.escalations.get(r.id);
      if (prev && r.changeSeq < prev.changeSeq) continue;  // older than what we have
      state.escalations.set(r.id, r);
      if (!prev) {
        if (r.state === 'open') {
          newOnes.push(r);
          if (r.id !== state.selectedId) state.fresh.add(r.id);
        }
      } else if (r.changeSeq > prev.changeSeq && r.id !== state.selectedId && WITH_PERSON.has(r.state)) {
        state.activity.add(r.id);
      }
      if (r.id === state.selectedId && (!prev || r.changeSeq > prev.changeSeq)) {
        selectedChanged = true;
        if (prev && WITH_PERSON.has(prev.state) && !WITH_PERSON.has(r.state) && $('reply-text').value.trim()) {
          showActionError('This conversation is no longer with a person (' + stateWords(r.state).toLowerCase() +
            '), so your unsent reply was not sent.');
        }
      }
    }
    renderList();
    renderAlert();
    if (newOnes.length) {
      const first = newOnes[newOnes.length - 1];
      announce(newOnes.length === 1
        ? 'New escalation: ' + categoryWords(first.category) + ', ' + channelWords(first.channel) + '.'
        : newOnes.length + ' new escalations.', true);
      beep();
    }
    if (selectedChanged) {
      renderConversation();
      loadDetail(state.selectedId);
    }
    return advanced;
  }

  function upsertFromAction(raw) {
    const r = normRecord(raw || {});
    if (!r.id) return;
    const prev = state.escalations.get(r.id);
    if (!prev || r.changeSeq >= prev.changeSeq) state.escalations.set(r.id, r);
  }

  // ---------------------------------------------------------------- sound

  function unlockAudio() {
    if (!state.soundOn) return;
    try {
      if (!state.audio) {
        const AC = window.AudioContext || window.webkitAudioContext;
        if (!AC) return;
        state.audio = new AC();
      }
      if (state.audio.state === 'suspended') state.audio.resume().catch(() => {});
    } catch (_) { /* no audio: the visual cue remains */ }
  }

  function beep() {
    if (!state.soundOn || !state.audio || state.audio.state !== 'running') return;
    try {
      const ctx = state.audio;
      const t0 = ctx.currentTime + 0.02;
      [[660, 0], [880, 0.18]].forEach(([freq, offset]) => {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t0 + offset);
        gain.gain.exponentialRampToValueAtTime(0.12, t0 + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + offset + 0.15);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t0 + offset);
        osc.stop(t0 + offset + 0.16);
      });
    } catch (_) { /* the visual cue remains */ }
  }

  function renderSound() {
    const b = $('sound-toggle');
    b.setAttribute('aria-pressed', state.soundOn ? 'true' : 'false');
    $('sound-state').textContent = state.soundOn ? ': on' : ': off';
  }

  // ---------------------------------------------------------------- list

  const listNodes = new Map();  // id -> { li, button }

  function sortedRecords() {
    const all = [...state.escalations.values()];
    const newestFirst = (a, b) => (b.createdAt - a.createdAt) || (b.changeSeq - a.changeSeq);
    // Nobody has taken the open ones yet: they come before the acknowledged.
    const openFirst = (a, b) => ((a.state === 'open' ? 0 : 1) - (b.state === 'open' ? 0 : 1)) || newestFirst(a, b);
    return {
      active: all.filter((r) => WITH_PERSON.has(r.state)).sort(openFirst),
      closed: all.filter((r) => !WITH_PERSON.has(r.state)).sort(newestFirst),
    };
  }

  function fillItem(node, r) {
    const { li, button } = node;
    li.dataset.id = r.id;
    li.dataset.state = r.state;
    li.classList.toggle('is-new', state.fresh.has(r.id));
    button.setAttribute('aria-current', r.id === state.selectedId ? 'true' : 'false');

    const badges = [el('span', { className: 'badge state-' + r.state, text: stateWords(r.state) })];
    if (state.fresh.has(r.id)) badges.unshift(el('span', { className: 'badge badge-new', text: 'New' }));
    else if (state.activity.has(r.id)) badges.unshift(el('span', { className: 'badge badge-activity', text: 'Updated' }));

    const who = r.acknowledgedBy ? 'Taken by ' + r.acknowledgedBy
      : (r.state === 'open' ? 'Nobody has taken it yet' : '');
    button.replaceChildren(
      el('span', { className: 'esc-top' }, [
        el('span', { className: 'esc-category', text: categoryWords(r.category) }),
        el('span', { className: 'esc-meta esc-age', 'data-ms': r.createdAt, text: ageWords(r.createdAt) }),
      ]),
      el('span', { className: 'esc-meta', text: channelWords(r.channel) + (who ? ' · ' + who : '') }),
      el('span', { className: 'esc-badges' }, badges),
    );
  }

  function makeItem(r) {
    const button = el('button', { type: 'button', className: 'esc-button' });
    button.addEventListener('click', () => select(r.id, true));
    const li = el('li', { className: 'escalation-item', 'data-testid': 'escalation-item' }, [button]);
    return { li, button };
  }

  // Puts `nodes` into `ul` in order, moving only what is out of place so that
  // focus and screen-reader position survive live updates.
  function placeInOrder(ul, lis) {
    lis.forEach((li, i) => {
      if (ul.children[i] !== li) ul.insertBefore(li, ul.children[i] || null);
    });
    while (ul.children.length > lis.length) ul.lastElementChild.remove();
  }

  function renderList() {
    const focused = document.activeElement;
    const { active, closed } = sortedRecords();
    const toLis = (records) => records.map((r) => {
      let node = listNodes.get(r.id);
      if (!node) {
        node = makeItem(r);
        listNodes.set(r.id, node);
      }
      fillItem(node, r);
      return node.li;
    });
    placeInOrder($('group-active'), toLis(active));
    placeInOrder($('group-closed'), toLis(closed));
    $('group-active-empty').hidden = active.length > 0;
    $('group-closed-empty').hidden = closed.length > 0;
    if (focused && focused !== document.activeElement && document.contains(focused)) focused.focus();
  }

  function renderAlert() {
    const n = state.fresh.size;
    const alert = $('new-alert');
    if (n > 0) {
      alert.textContent = (n === 1 ? '1 new escalation' : n + ' new escalations') + ' · Show';
      alert.hidden = false;
      document.title = '(' + n + ') New escalation · ' + BASE_TITLE;
    } else {
      alert.hidden = true;
      alert.textContent = '';
      document.title = BASE_TITLE;
    }
  }

  function tickAges() {
    document.querySelectorAll('.esc-age[data-ms]').forEach((node) => {
      node.textContent = ageWords(Number(node.getAttribute('data-ms')));
    });
    const started = $('fact-started');
    if (started && started.dataset.ms) {
      started.textContent = timeWords(Number(started.dataset.ms)) + ' (' + ageWords(Number(started.dataset.ms)) + ')';
    }
  }

  // ---------------------------------------------------------------- conversation

  function select(id, moveFocus) {
    if (!state.escalations.has(id)) return;
    const changed = state.selectedId !== id;
    state.selectedId = id;
    state.fresh.delete(id);
    state.activity.delete(id);
    if (changed) {
      state.rendered = { id, seqs: new Set() };
      $('messages').replaceChildren();
      $('reply-text').value = '';
      showActionError(null);
    }
    renderList();
    renderAlert();
    renderConversation();
    loadDetail(id);
    if (moveFocus) $('conversation-heading').focus();
  }

  async function loadDetail(id) {
    const request = ++state.detailRequest;
    const gen = state.session;
    let data;
    try {
      data = await api('GET', API + '/escalations/' + encodeURIComponent(id));
    } catch (e) {
      if (gen !== state.session || request !== state.detailRequest) return;
      if (e && e.status === 401) {
        signOut('The operator token is no longer accepted. Please sign in again.');
        return;
      }
      showActionError(problemWords(e));
      return;
    }
    if (gen !== state.session || request !== state.detailRequest || id !== state.selectedId) return;
    if (data.escalation) upsertFromAction(data.escalation);
    renderList();
    renderConversation();
    renderMessages(id, (data.messages || []).map(normMessage));
  }

  function fact(term, value, id) {
    const dd = el('dd', { text: value });
    if (id) dd.id = id;
    return [el('dt', { text: term }), dd];
  }

  function renderConversation() {
    const r = state.escalations.get(state.selectedId);
    if (!r) {
      $('conversation-body').hidden = true;
      $('conversation-placeholder').hidden = false;
      $('conversation-heading').textContent = 'Conversation';
      return;
    }
    $('conversation-placeholder').hidden = true;
    $('conversation-body').hidden = false;
    $('conversation-heading').textContent = categoryWords(r.category);

    const notified = [WEBHOOK_WORDS[r.webhookState] || (r.webhookState ? humanize(r.webhookState) : 'No webhook set up')];
    if (r.webhookAttempts > 1) notified.push(r.webhookAttempts + ' attempts');
    if (r.webhookState === 'gave_up' && r.webhookLastError) notified.push('last error: ' + r.webhookLastError);
    const facts = [
      ...fact('State', stateWords(r.state)),
      ...fact('Channel', channelWords(r.channel)),
      ...fact('Started', timeWords(r.createdAt) + ' (' + ageWords(r.createdAt) + ')', 'fact-started'),
      ...fact('Taken by', r.acknowledgedBy || 'Nobody yet'),
    ];
    if (r.region) facts.push(...fact('Region', r.region));
    facts.push(...fact('Clinic alerted', notified.join(', ') +
      (r.reminders > 0 ? '; ' + r.reminders + (r.reminders === 1 ? ' reminder' : ' reminders') : '')));
    $('facts').replaceChildren(...facts);
    const started = $('fact-started');
    if (started) started.dataset.ms = String(r.createdAt);

    $('trigger').textContent = r.triggerText || '(not recorded)';
    renderActions(r);
  }

  function renderActions(r) {
    const withPerson = WITH_PERSON.has(r.state);
    const busy = state.busy;
    $('ack').disabled = busy || r.state !== 'open';
    $('release').disabled = busy || !withPerson;
    $('resolve').disabled = busy || r.state === 'resolved';
    $('reply-text').disabled = !withPerson;
    $('reply-send').disabled = busy || !withPerson;
    let help = '';
    if (r.state === 'open') help = 'Acknowledge to let colleagues know you are taking this. Replying also acknowledges it.';
    else if (r.state === 'acknowledged') help = 'Release hands the conversation back to the automated guide; the person is told. Resolve closes the record.';
    else if (r.state === 'resolved') help = 'This escalation is resolved. Nothing more to do.';
    else if (r.state === 'timed_out') help = 'Nobody answered in time, so the guide took the conversation back. You can still resolve the record.';
    else help = 'The conversation is back with the guide. You can still resolve the record.';
    $('actions-help').textContent = help;
    $('reply-form').hidden = !withPerson;
  }

  const SENDER_WORDS = { user: 'They wrote', operator: 'Clinic', guide: 'Guide (automatic)' };

  function renderMessages(id, messages) {
    if (state.rendered.id !== id) {
      state.rendered = { id, seqs: new Set() };
      $('messages').replaceChildren();
    }
    const list = $('messages');
    messages.sort((a, b) => a.seq - b.seq);
    for (const m of messages) {
      if (state.rendered.seqs.has(m.seq)) continue;
      state.rendered.seqs.add(m.seq);
      let who = SENDER_WORDS[m.sender] || humanize(m.sender);
      if (m.sender === 'operator') who = m.author ? m.author + ' (clinic)' : 'Clinic';
      const when = m.createdAt ? el('time', { datetime: new Date(m.createdAt).toISOString(), text: timeWords(m.createdAt) }) : null;
      list.append(el('li', { className: 'message', 'data-testid': 'message', 'data-sender': m.sender }, [
        el('div', { className: 'message-who' }, [who, when ? ' · ' : null, when]),
        el('p', { className: 'message-text', text: m.text }),
      ]));
    }
    $('messages-empty').hidden = list.children.length > 0;
  }

  function showActionError(text) {
    const box = $('action-error');
    box.textContent = text || '';
    box.hidden = !text;
  }

  function setBusy(busy) {
    state.busy = busy;
    const r = state.escalations.get(state.selectedId);
    if (r) renderActions(r);
  }

  async function act(kind) {
    const id = state.selectedId;
    if (!id || state.busy) return;
    const gen = state.session;
    showActionError(null);
    setBusy(true);
    try {
      const rec = await api('POST', API + '/escalations/' + encodeURIComponent(id) + '/' + kind, { person: state.name });
      if (gen !== state.session) return;
      upsertFromAction(rec);
      renderList();
      renderConversation();
      announce({
        acknowledge: 'Acknowledged. Colleagues see that you have taken it.',
        release: 'Released. The conversation is back with the guide.',
        resolve: 'Resolved.',
      }[kind]);
    } catch (e) {
      if (gen !== state.session) return;
      if (e && e.status === 401) {
        signOut('The operator token is no longer accepted. Please sign in again.');
        return;
      }
      showActionError(problemWords(e));
    } finally {
      if (gen === state.session) setBusy(false);
    }
    if (gen !== state.session) return;
    await loadDetail(id);
    const r = state.escalations.get(id);
    if (kind === 'acknowledge' && r && WITH_PERSON.has(r.state)) $('reply-text').focus();
    else $('conversation-heading').focus();
  }

  async function sendReply() {
    const id = state.selectedId;
    if (!id || state.busy) return;
    const box = $('reply-text');
    const text = box.value.trim();
    if (!text) {
      showActionError('Write a reply first.');
      box.focus();
      return;
    }
    const gen = state.session;
    showActionError(null);
    setBusy(true);
    let sent = false;
    try {
      const data = await api('POST', API + '/escalations/' + encodeURIComponent(id) + '/messages',
        { person: state.name, text });
      if (gen !== state.session) return;
      sent = true;
      if (box.value.trim() === text) box.value = '';
      if (data.message && state.selectedId === id) renderMessages(id, [normMessage(data.message)]);
      announce('Reply sent.');
    } catch (e) {
      if (gen !== state.session) return;
      if (e && e.status === 401) {
        signOut('The operator token is no longer accepted. Please sign in again.');
        return;
      }
      showActionError('Your reply was not sent. ' + problemWords(e));
    } finally {
      if (gen === state.session) setBusy(false);
    }
    if (gen !== state.session) return;
    if (sent) await loadDetail(id);
    if (!$('reply-text').disabled) $('reply-text').focus();
  }

  // ---------------------------------------------------------------- wiring

  function init() {
    try {
      state.soundOn = sessionStorage.getItem(KEY_SOUND) !== 'off';
      $('name').value = sessionStorage.getItem(KEY_NAME) || '';
    } catch (_) { /* storage off */ }
    renderSound();

    $('signin-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      unlockAudio();
      const token = $('token').value.trim();
      const name = $('name').value.trim();
      $('token').removeAttribute('aria-invalid');
      $('name').removeAttribute('aria-invalid');
      if (!token || !name) {
        const missing = !token ? 'token' : 'name';
        showSignIn(!token ? 'Enter the operator token.' : 'Enter your name: people you reply to will see it.');
        $(missing).setAttribute('aria-invalid', 'true');
        $(missing).focus();
        if (missing === 'name') $('token').removeAttribute('aria-invalid');
        return;
      }
      $('sign-in').disabled = true;
      signIn(token, name).finally(() => { $('sign-in').disabled = false; });
    });

    $('sign-out').addEventListener('click', () => {
      signOut(null);
      announce('Signed out.');
    });

    $('sound-toggle').addEventListener('click', () => {
      state.soundOn = !state.soundOn;
      try { sessionStorage.setItem(KEY_SOUND, state.soundOn ? 'on' : 'off'); } catch (_) { /* storage off */ }
      renderSound();
      if (state.soundOn) {
        unlockAudio();
        beep();
      }
      announce(state.soundOn ? 'Sound alerts on.' : 'Sound alerts off.');
    });

    // Browsers only allow audio after a user gesture: unlock on the first one.
    const unlockOnce = () => unlockAudio();
    document.addEventListener('pointerdown', unlockOnce, { capture: true });
    document.addEventListener('keydown', unlockOnce, { capture: true });

    $('new-alert').addEventListener('click', () => {
      const newest = sortedRecords().active.concat(sortedRecords().closed).find((r) => state.fresh.has(r.id));
      if (newest) select(newest.id, true);
    });

    $('back-to-list').addEventListener('click', (ev) => {
      ev.preventDefault();
      const target = (state.selectedId && listNodes.get(state.selectedId)) ? listNodes.get(state.selectedId).button : $('list-heading');
      target.focus();
    });

    $('ack').addEventListener('click', () => act('acknowledge'));
    $('release').addEventListener('click', () => act('release'));
    $('resolve').addEventListener('click', () => act('resolve'));
    $('reply-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      sendReply();
    });
    $('reply-text').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        sendReply();
      }
    });

    setInterval(tickAges, 30000);

    let token = '';
    let name = '';
    try {
      token = sessionStorage.getItem(KEY_TOKEN) || '';
      name = sessionStorage.getItem(KEY_NAME) || '';
    } catch (_) { /* storage off */ }
    if (token && name) signIn(token, name);
    else showSignIn(null);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
