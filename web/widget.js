/*
 * Reconnect web chat widget.
 *
 * A clinic embeds it with one tag:
 *   <script src="https://guide.clinic.example/widget.js"
 *           data-gateway="https://guide.clinic.example"
 *           data-clinic-name="Harbor Clinic" data-color="#2f6f6a"
 *           data-language="en" data-position="right"
 *           data-exit-url="https://www.bbc.co.uk/weather"
 *           data-emergency-number="911" defer></script>
 * Every data- option is optional; data-gateway defaults to the origin the
 * script came from.
 *
 * Plain JavaScript, no dependencies, no build step. Everything it draws lives
 * in an open shadow root, so its styles and the clinic's don't mix.
 *
 * Safety: "Quick exit" (a button, or Escape twice within a second) forgets
 * the conversation and replaces the page with a neutral one. The
 * conversation id and the visible transcript are kept in sessionStorage
 * only, so they are gone when the tab closes. Nothing a person writes is
 * ever logged to the console.
 */
(function () {
  'use strict';

  if (window.__reconnectWidget) return; // embedded twice: keep the first
  window.__reconnectWidget = true;

  // ---------------------------------------------------------------- options
  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll('script[src]');
    for (var i = all.length - 1; i >= 0; i--) {
      if (/widget\.js(\?|#|$)/.test(all[i].src)) { script = all[i]; break; }
    }
  }
  function attr(name) {
    var v = script && script.getAttribute('data-' + name);
    return v ? String(v).trim() : '';
  }
  function originOf(url) {
    try { return new URL(url, location.href).origin; } catch (e) { return ''; }
  }

  var STORE_KEY = 'reconnect-widget:conversation';
  var CLINIC_KEY = 'reconnect-widget:clinic';
  var DEFAULT_EXIT = 'https://www.google.com/';
  var DEFAULT_COLOR = '#2f6f6a';
  var ESCAPE_WINDOW_MS = 1000;
  var POLL_WAIT_S = 25;

  var gateway = (attr('gateway') || (script && script.src ? originOf(script.src) : '') ||
    location.origin).replace(/\/+$/, '');
  var language = attr('language') || document.documentElement.lang || 'en';
  var position = attr('position') === 'left' ? 'left' : 'right';
  var exitUrl = safeExitUrl(attr('exit-url'));
  var configuredNumber = attr('emergency-number') || '911';
  var configuredClinic = attr('clinic-name');
  var brand = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(attr('color')) ? attr('color') : DEFAULT_COLOR;

  // The locale sent with each message: the browser's when it is a variant of
  // the widget's language (data-language "en", browser "en-GB"), else the
  // widget's language.
  var locale = (function () {
    var nav = navigator.language || '';
    var lang = language.toLowerCase();
    if (nav && (nav.toLowerCase() === lang || nav.toLowerCase().indexOf(lang + '-') === 0)) return nav;
    return language;
  })();

  // Only http(s) and same-site relative addresses: never "javascript:".
  function safeExitUrl(value) {
    if (!value) return DEFAULT_EXIT;
    try {
      var u = new URL(value, location.href);
      if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
    } catch (e) { /* fall through */ }
    return DEFAULT_EXIT;
  }

  // ----------------------------------------------------------------- colour
  function luminance(hex) {
    var h = hex.replace('#', '');
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    var rgb = [0, 2, 4].map(function (k) {
      var c = parseInt(h.substr(k, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  // Text on the brand colour: white, else near-black, else black (one of
  // white and black always reaches 4.5:1).
  var onBrand = contrast(brand, '#ffffff') >= 4.5 ? '#ffffff'
    : contrast(brand, '#1b1b1b') >= 4.5 ? '#1b1b1b' : '#000000';
  // The brand colour as text on white, only where it is dark enough.
  var brandInk = contrast(brand, '#ffffff') >= 4.5 ? brand : '#1b1b1b';

  // ---------------------------------------------------------------- strings
  var T = {
    launcher: 'Chat',
    title: 'Chat',
    quickExit: 'Quick exit',
    quickExitHint: 'Leave this site now. You can also press Escape twice.',
    close: 'Close chat',
    talk: 'Talk to a person',
    clear: 'Clear conversation',
    send: 'Send',
    inputLabel: 'Your message',
    placeholder: 'Type a message',
    log: 'Conversation',
    chips: 'Suggested replies',
    typing: 'The guide is writing',
    you: 'You said:',
    guide: 'Guide said:',
    welcome: "Hello. I'm an automated guide. You can ask me questions at your own pace, " +
      'skip anything, and stop whenever you like.',
    noticeA: "I'm an automated guide, not a therapist, and I can't help in an emergency. If you're in danger, call ",
    noticeB: '.',
    resourcesCrisis: 'Help you can reach now',
    resourcesOther: 'People you can reach',
    call: 'Call',
    text: 'Text',
    visit: 'Visit',
    errorNetwork: "We couldn't reach the chat just now. Your message is still here, so you can try again when you're ready.",
    errorBusy: 'The chat is busy just now. Please wait a moment, then try again.',
    errorDown: "The guide can't answer right now. You can try again in a moment.",
    errorAgain: 'If you need help now, call ',
    retry: 'Try again',
    cleared: 'The conversation was cleared.',
    someone: 'Someone',
    fromClinic: ' from ',
    atClinic: ' (a person at the clinic)'
  };

  // ------------------------------------------------------------------ state
  function storageGet(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || 'null'); } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try { sessionStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function storageRemove(key) {
    try { sessionStorage.removeItem(key); } catch (e) { /* ignore */ }
  }

  function freshState() {
    // items: {k: "user"|"guide"|"operator"|"resources"|"note", text, author, resources, crisis}
    // queue: messages not yet answered, oldest first: {text, id}
    return { id: '', seq: 0, items: [], chips: [], queue: [], open: false };
  }
  var state = freshState();
  var saved = storageGet(STORE_KEY);
  if (saved && typeof saved === 'object' && Array.isArray(saved.items)) {
    state.id = /^[0-9a-f]{32}$/.test(saved.id || '') ? saved.id : '';
    state.seq = Number(saved.seq) || 0;
    state.items = saved.items.slice(-200);
    state.chips = Array.isArray(saved.chips) ? saved.chips : [];
    state.queue = Array.isArray(saved.queue) ? saved.queue : [];
    state.open = !!saved.open;
  }
  function save() {
    if (exiting) return;
    state.items = state.items.slice(-200);
    storageSet(STORE_KEY, state);
  }

  var clinic = storageGet(CLINIC_KEY) || {};
  function clinicName() { return configuredClinic || clinic.clinic_name || ''; }
  function emergencyNumber() { return clinic.emergency_number || configuredNumber; }

  var busy = false;          // a message is on its way
  var failed = null;         // the error shown, while the head of the queue waits for Retry
  var exiting = false;
  var pollAbort = null;
  var polling = false;
  var sendAbort = null;
  var lastEscape = 0;
  var clinicLoaded = false;
  var generation = 0;        // bumped when the conversation is cleared or left

  // -------------------------------------------------------------------- dom
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] == null || attrs[k] === false) continue;
        if (k === 'text') node.textContent = attrs[k];
        else if (k === 'on') {
          for (var ev in attrs.on) node.addEventListener(ev, attrs.on[ev]);
        } else node.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
      }
    }
    (children || []).forEach(function (c) {
      if (c == null) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  // Phone numbers in a text become tap-to-call (or tap-to-text) links:
  // "116 123" -> tel:116123; "911 / 999 / 112" -> three links. Text that is
  // not a number ("your local emergency number") stays text.
  function withPhoneLinks(text, scheme) {
    var out = [];
    var re = /\+?\d[\d \-().]*\d|\d/g;
    var last = 0, m;
    while ((m = re.exec(text))) {
      var digits = m[0].replace(/[^\d+]/g, '');
      if (digits.replace('+', '').length < 2) continue;
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(el('a', { href: (scheme || 'tel') + ':' + digits, class: 'rc-phone' }, [m[0]]));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  var CSS = [
    ':host{all:initial}',
    '.rc{--rc-brand:' + brand + ';--rc-on-brand:' + onBrand + ';--rc-ink:' + brandInk + ';',
    'font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;',
    'font-size:1rem;line-height:1.45;color:#1b1b1b}',
    '.rc *,.rc *::before,.rc *::after{box-sizing:border-box}',
    '.rc [hidden]{display:none!important}',
    // Base rules without specificity (:where) so each component's class wins.
    ':where(.rc) :where(button,textarea){font:inherit;color:inherit;margin:0}',
    ':where(.rc) :where(button){cursor:pointer;min-height:2.75rem;border-radius:0.5rem;padding:0.5rem 0.875rem;border:0.125rem solid transparent;background:none}',
    '.rc :focus-visible{outline:0.1875rem solid #1b1b1b;outline-offset:0.0625rem;box-shadow:0 0 0 0.0625rem #fff,0 0 0 0.3125rem #fff}',
    '.rc-sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}',
    // launcher area
    '.rc-dock{position:fixed;bottom:1rem;' + position + ':1rem;z-index:2147483000;display:flex;gap:0.5rem;align-items:center;',
    'flex-direction:' + (position === 'left' ? 'row-reverse' : 'row') + '}',
    '.rc-exit{background:#fff;color:#1b1b1b;border-color:#1b1b1b;font-weight:700;white-space:nowrap}',
    '.rc-exit:hover{background:#f0f0f0}',
    '.rc-launch{background:var(--rc-brand);color:var(--rc-on-brand);border-radius:1.5rem;padding:0.625rem 1.125rem;',
    'font-weight:600;display:inline-flex;align-items:center;gap:0.5rem;box-shadow:0 0.125rem 0.5rem rgba(0,0,0,.25)}',
    '.rc-launch svg{width:1.25rem;height:1.25rem;fill:currentColor}',
    // panel
    '.rc-panel{position:fixed;bottom:1rem;' + position + ':1rem;z-index:2147483001;width:24rem;max-width:calc(100vw - 2rem);',
    'height:40rem;max-height:calc(100vh - 2rem);display:flex;flex-direction:column;background:#fff;border-radius:0.75rem;',
    'border:0.0625rem solid #c4c4c4;box-shadow:0 0.5rem 2rem rgba(0,0,0,.25);overflow:hidden}',
    '@supports (height:100dvh){.rc-panel{max-height:calc(100dvh - 2rem)}}',
    '.rc-head{background:var(--rc-brand);color:var(--rc-on-brand);padding:0.625rem 0.75rem;display:flex;align-items:center;gap:0.5rem}',
    '.rc-titles{flex:1;min-width:0}',
    '.rc-title{font-size:1.125rem;font-weight:700;margin:0;line-height:1.2}',
    '.rc-sub{font-size:0.875rem;margin:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}',
    '.rc-close{color:var(--rc-on-brand);font-size:1.5rem;line-height:1;padding:0.25rem 0.625rem;min-width:2.75rem}',
    '.rc-close:hover{border-color:var(--rc-on-brand)}',
    '.rc-notice{background:#f6f6f4;color:#3b3b3b;font-size:0.8125rem;padding:0.5rem 0.75rem;border-bottom:0.0625rem solid #dedede;margin:0}',
    '.rc-notice a,.rc-error a,.rc-card a{color:#0b4aa2;font-weight:700;text-decoration:underline}',
    '.rc-log{position:relative;flex:1;overflow-y:auto;padding:0.75rem;display:flex;flex-direction:column;gap:0.5rem;overscroll-behavior:contain}',
    '.rc-msg{max-width:85%;padding:0.5rem 0.75rem;border-radius:0.875rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:0}',
    '.rc-user{align-self:flex-end;background:var(--rc-brand);color:var(--rc-on-brand);border-bottom-right-radius:0.25rem}',
    '.rc-guide{align-self:flex-start;background:#f1f3f4;color:#1b1b1b;border-bottom-left-radius:0.25rem}',
    '.rc-note{align-self:center;color:#4a4a4a;font-size:0.875rem;font-style:italic}',
    '.rc-op{align-self:flex-start;background:#fff4e0;color:#1b1b1b;border-left:0.25rem solid #8a5a00;border-radius:0.5rem}',
    '.rc-author{display:block;font-size:0.8125rem;font-weight:700;color:#6b4500}',
    '.rc-card{align-self:stretch;background:#eef3fb;border-left:0.25rem solid #23408e;border-radius:0.5rem;padding:0.625rem 0.75rem}',
    '.rc-card h3{font-size:1rem;margin:0 0 0.375rem}',
    '.rc-card ul{list-style:none;margin:0;padding:0}',
    '.rc-card li{margin:0.375rem 0}',
    '.rc-card .rc-rnote{display:block;font-size:0.875rem;color:#333}',
    '.rc-chips{display:flex;flex-wrap:wrap;gap:0.5rem;padding:0.5rem 0.75rem;border-top:0.0625rem solid #ececec}',
    '.rc-chip{border-color:var(--rc-ink);color:var(--rc-ink);background:#fff;border-radius:1.25rem;padding:0.25rem 0.875rem;min-height:2.5rem;text-align:left}',
    '.rc-chip:hover{background:#f1f3f4}',
    '.rc-typing{padding:0 0.75rem 0.5rem;color:#4a4a4a;font-size:0.875rem;display:flex;align-items:center;gap:0.375rem}',
    '.rc-dots span{display:inline-block;width:0.375rem;height:0.375rem;margin-right:0.1875rem;border-radius:50%;background:#5f5f5f;animation:rc-b 1.2s infinite ease-in-out}',
    '.rc-dots span:nth-child(2){animation-delay:.2s}.rc-dots span:nth-child(3){animation-delay:.4s}',
    '@keyframes rc-b{0%,80%,100%{opacity:.3}40%{opacity:1}}',
    '.rc-error{margin:0 0.75rem 0.5rem;padding:0.5rem 0.75rem;background:#fdf3e7;color:#5f4100;border-radius:0.5rem;font-size:0.875rem}',
    '.rc-error p{margin:0 0 0.375rem}',
    '.rc-retry{background:#fff;border-color:#5f4100;color:#5f4100;font-weight:600}',
    '.rc-form{display:flex;gap:0.5rem;padding:0.5rem 0.75rem;border-top:0.0625rem solid #dedede;align-items:flex-end}',
    '.rc-input{flex:1;min-width:0;resize:none;min-height:2.75rem;max-height:8rem;padding:0.5rem 0.625rem;border:0.125rem solid #767676;border-radius:0.5rem;background:#fff}',
    '.rc-input::placeholder{color:#6b6b6b;opacity:1}',
    '.rc-send{background:var(--rc-brand);color:var(--rc-on-brand);font-weight:600}',
    '.rc-actions{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:0.25rem 0.5rem;padding:0 0.75rem 0.5rem}',
    '.rc-talk{border-color:var(--rc-ink);color:var(--rc-ink);background:#fff;font-weight:600;min-height:2.5rem;padding:0.375rem 0.75rem}',
    '.rc-clear{color:#3b3b3b;text-decoration:underline;padding:0.375rem 0.25rem;font-size:0.875rem;min-height:2.5rem}',
    '.rc-panel{animation:rc-in .15s ease-out}',
    '@keyframes rc-in{from{opacity:0;transform:translateY(0.5rem)}to{opacity:1;transform:none}}',
    '@media (max-width:30rem){.rc-panel{top:0;bottom:0;left:0;right:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0;border:0}}',
    '@media (prefers-reduced-motion:reduce){.rc *{animation:none!important;transition:none!important}.rc-dots span{opacity:.7}}',
    '@media (forced-colors:active){.rc button{border-color:ButtonText}.rc-msg,.rc-card{border:0.0625rem solid CanvasText}}'
  ].join('');

  var host = el('div', { id: 'reconnect-widget', 'data-reconnect-widget': '' });
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var useSheet = false;
  try {
    if (root !== host && 'adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function') {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
      useSheet = true;
    }
  } catch (e) { useSheet = false; }
  if (!useSheet) root.appendChild(el('style', { text: CSS }));

  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';

  var uid = 'rc' + Math.random().toString(36).slice(2, 8);
  var wrap = el('div', { class: 'rc', lang: language });

  // Launcher area: Quick exit + the launcher.
  var dockExit = el('button', { type: 'button', class: 'rc-exit', 'data-testid': 'quick-exit', title: T.quickExitHint, text: T.quickExit });
  var launcher = el('button', {
    type: 'button', class: 'rc-launch', 'data-testid': 'launcher',
    'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': uid + '-panel'
  });
  launcher.innerHTML = ICON;
  launcher.appendChild(el('span', { text: T.launcher }));
  var dock = el('div', { class: 'rc-dock' }, [dockExit, launcher]);

  // The panel.
  var titleEl = el('h2', { class: 'rc-title', id: uid + '-title', text: T.title });
  var subEl = el('p', { class: 'rc-sub', id: uid + '-sub' });
  var panelExit = el('button', { type: 'button', class: 'rc-exit', 'data-testid': 'quick-exit', title: T.quickExitHint, text: T.quickExit });
  var closeBtn = el('button', { type: 'button', class: 'rc-close', 'aria-label': T.close, title: T.close }, ['\u00d7']);
  var head = el('div', { class: 'rc-head' }, [el('div', { class: 'rc-titles' }, [titleEl, subEl]), panelExit, closeBtn]);
  var notice = el('p', { class: 'rc-notice', 'data-testid': 'notice', id: uid + '-notice' });
  var log = el('div', {
    class: 'rc-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions',
    'aria-label': T.log, tabindex: '0'
  });
  var chips = el('div', { class: 'rc-chips', role: 'group', 'aria-label': T.chips, hidden: true });
  var typing = el('div', { class: 'rc-typing', 'data-testid': 'typing', hidden: true }, [
    el('span', { class: 'rc-dots', 'aria-hidden': 'true' }, [el('span'), el('span'), el('span')]),
    el('span', { text: T.typing + '\u2026' })
  ]);
  var errorText = el('p');
  var retryBtn = el('button', { type: 'button', class: 'rc-retry', 'data-testid': 'retry', text: T.retry });
  var errorBox = el('div', { class: 'rc-error', 'data-testid': 'error', role: 'alert', hidden: true }, [errorText, retryBtn]);
  var input = el('textarea', {
    class: 'rc-input', 'data-testid': 'input', id: uid + '-input', rows: '1', maxlength: '4000',
    placeholder: T.placeholder, autocomplete: 'off'
  });
  var sendBtn = el('button', { type: 'submit', class: 'rc-send', 'data-testid': 'send', text: T.send });
  var form = el('form', { class: 'rc-form', novalidate: true }, [
    el('label', { for: uid + '-input', class: 'rc-sr', text: T.inputLabel }), input, sendBtn
  ]);
  var talkBtn = el('button', { type: 'button', class: 'rc-talk', 'data-testid': 'talk-to-person', text: T.talk });
  var clearBtn = el('button', { type: 'button', class: 'rc-clear', 'data-testid': 'clear', text: T.clear });
  var actions = el('div', { class: 'rc-actions' }, [talkBtn, clearBtn]);
  var panel = el('div', {
    class: 'rc-panel', id: uid + '-panel', role: 'dialog', 'aria-modal': 'false',
    'aria-labelledby': uid + '-title ' + uid + '-sub', 'aria-describedby': uid + '-notice',
    'data-testid': 'panel', hidden: true
  }, [head, notice, log, chips, typing, errorBox, form, actions]);

  wrap.appendChild(dock);
  wrap.appendChild(panel);
  root.appendChild(wrap);

  // ------------------------------------------------------------- rendering
  function renderHeader() {
    var name = clinicName();
    subEl.textContent = name;
    subEl.hidden = !name;
    panel.setAttribute('aria-labelledby', name ? uid + '-title ' + uid + '-sub' : uid + '-title');
  }

  function renderNotice() {
    notice.textContent = '';
    notice.appendChild(document.createTextNode(T.noticeA));
    withPhoneLinks(emergencyNumber()).forEach(function (n) {
      notice.appendChild(typeof n === 'string' ? document.createTextNode(n) : n);
    });
    notice.appendChild(document.createTextNode(T.noticeB));
  }

  function operatorLabel(author) {
    var name = clinicName();
    var who = author || T.someone;
    return name ? who + T.fromClinic + name : who + T.atClinic;
  }

  function resourceLink(r) {
    var kind = r.kind === 'text' ? 'text' : r.kind === 'web' ? 'web' : 'call';
    var number = String(r.number || '');
    if (kind === 'web') {
      var href = '';
      try {
        var u = new URL(number);
        if (u.protocol === 'https:' || u.protocol === 'http:') href = u.href;
      } catch (e) { /* not a link */ }
      if (!href) return [number];
      return [el('a', { href: href, target: '_blank', rel: 'noopener noreferrer' }, [number.replace(/^https?:\/\//, '')])];
    }
    var parts = withPhoneLinks(number, kind === 'text' ? 'sms' : 'tel');
    return [(kind === 'text' ? T.text : T.call) + ' '].concat(parts);
  }

  function renderItem(item) {
    var node;
    if (item.k === 'user') {
      node = el('p', { class: 'rc-msg rc-user', 'data-testid': 'message-user' }, [
        el('span', { class: 'rc-sr', text: T.you + ' ' }), String(item.text)
      ]);
    } else if (item.k === 'operator') {
      node = el('p', { class: 'rc-msg rc-op', 'data-testid': 'message-operator' }, [
        el('span', { class: 'rc-author', text: operatorLabel(item.author) }), String(item.text)
      ]);
    } else if (item.k === 'resources') {
      var hid = uid + '-r' + Math.random().toString(36).slice(2, 8);
      var list = el('ul');
      (item.resources || []).forEach(function (r) {
        var li = el('li', null, [el('strong', { text: String(r.name || '') }), ': ']);
        resourceLink(r).forEach(function (p) { li.appendChild(typeof p === 'string' ? document.createTextNode(p) : p); });
        if (r.note) li.appendChild(el('span', { class: 'rc-rnote', text: String(r.note) }));
        list.appendChild(li);
      });
      node = el('section', { class: 'rc-card', 'data-testid': 'resource-card', 'aria-labelledby': hid }, [
        el('h3', { id: hid, text: item.crisis ? T.resourcesCrisis : T.resourcesOther }), list
      ]);
    } else if (item.k === 'note') {
      node = el('p', { class: 'rc-msg rc-note', text: String(item.text) });
    } else {
      node = el('p', { class: 'rc-msg rc-guide', 'data-testid': 'message-guide' }, [
        el('span', { class: 'rc-sr', text: T.guide + ' ' }), String(item.text)
      ]);
    }
    log.appendChild(node);
    return node;
  }

  function renderChips() {
    chips.textContent = '';
    state.chips.forEach(function (label) {
      chips.appendChild(el('button', {
        type: 'button', class: 'rc-chip', 'data-testid': 'chip', text: label,
        // The chips go once one is chosen: keep the keyboard's place.
        on: { click: function () { send(label); input.focus({ preventScroll: true }); } }
      }));
    });
    chips.hidden = state.chips.length === 0;
  }

  function renderAll() {
    log.textContent = '';
    log.appendChild(el('p', { class: 'rc-msg rc-guide', 'data-testid': 'welcome', text: T.welcome }));
    state.items.forEach(renderItem);
    renderChips();
    scrollDown();
  }

  function add(item, quiet) {
    state.items.push(item);
    var node = renderItem(item);
    save();
    if (!quiet) scrollDown();
    return node;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }
  // Scrolls so a long reply can be read from its start.
  function revealFrom(node) {
    log.scrollTop = Math.min(node.offsetTop - 8, log.scrollHeight - log.clientHeight);
  }

  function setTyping(on) {
    typing.hidden = !on;
    if (on) scrollDown();
  }

  function showError(kind) {
    failed = kind;
    errorText.textContent = '';
    errorText.appendChild(document.createTextNode(
      (kind === 'busy' ? T.errorBusy : kind === 'down' ? T.errorDown : T.errorNetwork) + ' ' + T.errorAgain));
    withPhoneLinks(emergencyNumber()).forEach(function (n) {
      errorText.appendChild(typeof n === 'string' ? document.createTextNode(n) : n);
    });
    errorText.appendChild(document.createTextNode('.'));
    errorBox.hidden = false;
    scrollDown();
  }
  function hideError() {
    failed = null;
    errorBox.hidden = true;
  }

  // ---------------------------------------------------------------- network
  function newMessageId() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') {
      try { return c.randomUUID(); } catch (e) { /* insecure context */ }
    }
    var b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function HttpError(status, body, retryAfter) {
    this.status = status; this.body = body; this.retryAfter = retryAfter;
  }

  function request(method, path, body, signal, timeoutMs) {
    var ctrl = new AbortController();
    var timer = setTimeout(function () { ctrl.abort(); }, timeoutMs || 20000);
    if (signal) {
      if (signal.aborted) ctrl.abort();
      else signal.addEventListener('abort', function () { ctrl.abort(); });
    }
    var init = { method: method, signal: ctrl.signal, credentials: 'omit', cache: 'no-store', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(gateway + path, init).then(function (res) {
      return res.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : null; } catch (e) { data = null; }
        if (!res.ok) throw new HttpError(res.status, data, Number(res.headers.get('Retry-After')) || 0);
        return data || {};
      });
    }).finally(function () { clearTimeout(timer); });
  }

  function loadClinic() {
    if (clinicLoaded) return;
    clinicLoaded = true;
    request('GET', '/v1/web/clinic?locale=' + encodeURIComponent(locale), undefined, null, 10000)
      .then(function (data) {
        if (!data || typeof data !== 'object' || exiting) return;
        clinic = {
          clinic_name: typeof data.clinic_name === 'string' ? data.clinic_name : '',
          region: typeof data.region === 'string' ? data.region : '',
          emergency_number: typeof data.emergency_number === 'string' ? data.emergency_number : ''
        };
        storageSet(CLINIC_KEY, clinic);
        renderHeader();
        renderNotice();
      })
      .catch(function () { clinicLoaded = false; /* keep the cached or configured number */ });
  }

  function ensureConversation() {
    if (state.id) return Promise.resolve(state.id);
    var gen = generation;
    return request('POST', '/v1/web/conversations', undefined, sendAbort && sendAbort.signal).then(function (data) {
      if (gen !== generation) throw new HttpError(0, null, 0);
      if (!data || !/^[0-9a-f]{32}$/.test(data.conversation_id || '')) throw new HttpError(502, null, 0);
      state.id = data.conversation_id;
      state.seq = 0;
      save();
      startPolling();
      return state.id;
    });
  }

  function handleReply(reply) {
    var messages = Array.isArray(reply.messages) ? reply.messages : [];
    var first = null;
    messages.forEach(function (m) {
      var node = add({ k: 'guide', text: String(m) }, true);
      first = first || node;
    });
    var esc = reply.escalation || {};
    if (esc.escalated && Array.isArray(esc.resources) && esc.resources.length) {
      var card = add({
        k: 'resources', crisis: /^crisis\./.test(esc.category || ''),
        resources: esc.resources.map(function (r) {
          return { name: r.name, number: r.number, kind: r.kind, note: r.note };
        })
      }, true);
      first = first || card;
    }
    state.chips = (Array.isArray(reply.quick_replies) ? reply.quick_replies : [])
      .filter(function (q) { return typeof q === 'string' && q; }).slice(0, 6);
    renderChips();
    save();
    if (first) revealFrom(first);
    if (esc.handed_off) startPolling();
  }

  // Sends the queue's messages one at a time, oldest first. A failure stops
  // the queue until Retry (or a new message) resends the same message_id.
  function pump() {
    if (busy || exiting || !state.queue.length) return;
    busy = true;
    hideError();
    setTyping(true);
    sendAbort = new AbortController();
    var head = state.queue[0];
    var gen = generation;
    ensureConversation().then(function (id) {
      return request('POST', '/v1/web/conversations/' + id + '/messages',
        { text: head.text, message_id: head.id, locale: locale }, sendAbort.signal, 25000);
    }).then(function (reply) {
      if (gen !== generation) return;
      state.queue.shift();
      save();
      handleReply(reply);
      busy = false;
      setTyping(false);
      pump();
    }, function (err) {
      if (gen !== generation) return;
      busy = false;
      setTyping(false);
      if (err instanceof HttpError && err.status === 404 && state.id && !head.renewed) {
        // The gateway no longer knows the id: start a new conversation, once.
        head.renewed = true;
        stopNetwork();
        state.id = ''; state.seq = 0; save();
        return pump();
      }
      if (err instanceof HttpError && err.status === 400) {
        // The guide refused this message: showing it again would not help.
        state.queue.shift();
        save();
        add({ k: 'note', text: (err.body && typeof err.body.error === 'string') ? err.body.error : T.errorDown });
        return pump();
      }
      showError(err instanceof HttpError ? (err.status === 429 ? 'busy' : 'down') : 'network');
    });
  }

  function send(text) {
    text = String(text || '').trim();
    if (!text || exiting) return;
    state.chips = [];
    renderChips();
    state.queue.push({ text: text, id: newMessageId() });
    add({ k: 'user', text: text });
    if (failed && !busy) hideError();
    pump();
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  // Long-polls for messages from a person at the clinic and the guide's
  // notices, for as long as the conversation exists.
  function startPolling() {
    if (polling || !state.id || exiting) return;
    polling = true;
    var gen = generation;
    var backoff = 1000;
    pollAbort = new AbortController();
    var signal = pollAbort.signal;
    (function loop() {
      if (gen !== generation) return; // a newer loop owns `polling`
      if (signal.aborted || !state.id) { polling = false; return; }
      request('GET', '/v1/web/conversations/' + state.id + '/events?after=' + state.seq + '&wait=' + POLL_WAIT_S,
        undefined, signal, (POLL_WAIT_S + 15) * 1000)
        .then(function (data) {
          if (gen !== generation) return;
          backoff = 1000;
          var events = data && Array.isArray(data.events) ? data.events : [];
          events.forEach(function (e) {
            var seq = Number(e.seq) || 0;
            if (seq && seq <= state.seq) return;
            if (seq) state.seq = seq;
            var text = typeof e.text === 'string' ? e.text : '';
            if (!text) return;
            if (e.sender === 'operator') add({ k: 'operator', text: text, author: typeof e.author === 'string' ? e.author : '' });
            else add({ k: 'guide', text: text });
          });
          if (data && Number(data.last_seq) > state.seq) state.seq = Number(data.last_seq);
          save();
        }, function (err) {
          if (gen !== generation || signal.aborted) return;
          var wait = backoff;
          if (err instanceof HttpError && err.retryAfter) wait = err.retryAfter * 1000;
          backoff = Math.min(backoff * 2, 30000);
          return sleep(wait + Math.random() * 500);
        })
        .then(function () {
          if (gen !== generation) return;
          if (signal.aborted || !state.id) { polling = false; return; }
          setTimeout(loop, 50);
        });
    })();
  }

  function stopNetwork() {
    generation++;
    if (pollAbort) pollAbort.abort();
    if (sendAbort) sendAbort.abort();
    polling = false;
    busy = false;
  }

  // ---------------------------------------------------------------- actions
  function openPanel(focus) {
    panel.hidden = false;
    dock.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    state.open = true;
    save();
    loadClinic();
    scrollDown();
    if (focus !== false) input.focus();
  }

  function closePanel() {
    panel.hidden = true;
    dock.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    state.open = false;
    save();
    launcher.focus();
  }

  function clearConversation() {
    stopNetwork();
    state = freshState();
    state.open = true;
    storageRemove(STORE_KEY);
    hideError();
    setTyping(false);
    renderAll();
    renderItem({ k: 'note', text: T.cleared });
    save();
    input.value = '';
    input.focus();
  }

  function quickExit() {
    if (exiting) return;
    stopNetwork();
    exiting = true;
    state = freshState();
    try { sessionStorage.clear(); } catch (e) { /* ignore */ }
    // Nothing of the conversation stays on screen while the next page loads.
    if (host.parentNode) host.parentNode.removeChild(host);
    try { document.title = ''; } catch (e) { /* ignore */ }
    location.replace(exitUrl);
  }

  // ----------------------------------------------------------------- events
  launcher.addEventListener('click', function () { openPanel(true); });
  closeBtn.addEventListener('click', closePanel);
  dockExit.addEventListener('click', quickExit);
  panelExit.addEventListener('click', quickExit);
  talkBtn.addEventListener('click', function () { send(T.talk); });
  clearBtn.addEventListener('click', clearConversation);
  retryBtn.addEventListener('click', function () {
    hideError();
    pump();
    input.focus();
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value;
    if (!text.trim()) { input.focus(); return; }
    input.value = '';
    autosize();
    send(text);
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else sendBtn.click();
    }
  });
  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 4, 128) + 'px';
  }
  input.addEventListener('input', autosize);

  // Escape closes the panel; Escape twice within a second leaves the site.
  window.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' && e.key !== 'Esc') return;
    if (e.isComposing) return;
    var now = Date.now();
    if (now - lastEscape <= ESCAPE_WINDOW_MS) {
      e.preventDefault();
      quickExit();
      return;
    }
    lastEscape = now;
    if (!panel.hidden) {
      e.preventDefault();
      closePanel();
    }
  }, true);

  // -------------------------------------------------------------------- go
  function mount() {
    if (exiting) return;
    // Drawn before it joins the page, so a restored transcript is not read
    // out again as new messages.
    renderHeader();
    renderNotice();
    renderAll();
    (document.body || document.documentElement).appendChild(host);
    if (state.open) openPanel(false);
    if (state.id) startPolling();
    if (state.queue.length) pump();
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  // Pages restored from the back/forward cache come back as they were left.
  window.addEventListener('pageshow', function (e) {
    if (e.persisted && !storageGet(STORE_KEY)) {
      stopNetwork();
      state = freshState();
      renderAll();
    }
  });
})();
