// The web preview viewer: a second reference implementation of the device. It opens a preview
// with the preview token from the page's fragment (`/viewer#token=...&device=iphone`; a
// fragment never reaches the server, its logs or a `Referer`), lays every screen's Layout JSON
// out with stock Yoga (yoga-layout 3.2.1, vendored, configured as React Native configures it)
// over the nodes' styles and measured sizes only, draws the nodes as elements with React
// Native's defaults, places snapshot and image assets, follows literal navigation actions on
// click, and posts preview logs (interactions, navigation) as a device does.
//
// For tests, `&click=NODE_ID` clicks that node once the first screen is drawn; when the page
// has drawn and sent its logs it sets `document.body.dataset.done`, and `#hs-boxes` holds
// every drawn node's box (points, relative to the screen) by node id.

import * as Y from './yoga-layout/src/index.js';
import { styleApplier } from './style.mjs';

const Yoga = Y.default;
const DEVICES = ['iphone', 'ipad', 'android-phone'];
const params = new URLSearchParams(location.hash.slice(1));
const token = params.get('token');
let device = params.get('device') || 'iphone';
const session = crypto.randomUUID();
const $ = (id) => document.getElementById(id);

let listing = null;
let current = null;
const history = [];
const assetUrls = new Map(); // asset id -> URL path
const blobs = new Map(); // asset id -> Promise<object URL | null>
let pendingLogs = [];

function setStatus(text) {
  $('status').textContent = text;
}

function api(path, init = {}) {
  const headers = { Authorization: `Bearer ${token}`, 'x-hivesync-device': device, ...(init.headers || {}) };
  return fetch(path, { ...init, headers, referrerPolicy: 'no-referrer', cache: 'no-store' });
}

function pathOf(url) {
  return new URL(url, location.href).pathname;
}

function log(type, message, data) {
  pendingLogs.push({ timestamp: Date.now(), type, screen_id: current ?? undefined, message, data });
}

async function flushLogs() {
  if (pendingLogs.length === 0) return;
  const events = pendingLogs.splice(0, 200);
  try {
    await api('/api/v1/preview/logs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session_id: session, events }),
    });
  } catch (e) {
    console.warn('preview logs not sent', e);
  }
}

// ---------------------------------------------------------------- layout (stock Yoga)

const applyStyle = styleApplier(Y, (message) => {
  throw new Error(message);
});

/** Lays the document out from its JSON alone; returns node id -> {x, y, width, height, border}. */
function layOut(doc) {
  const config = Yoga.Config.create();
  config.setErrata(Y.Errata.All);
  config.setUseWebDefaults(false);
  config.setPointScaleFactor(doc.device.scale);
  const made = [];
  const build = (node) => {
    const y = Yoga.Node.create(config);
    try {
      applyStyle(y, node.style);
    } catch (e) {
      log('warning', `style of ${node.id} not applied: ${e.message}`);
    }
    made.push([node, y]);
    if (node.measured) {
      const { width, height } = node.measured;
      y.setMeasureFunc(() => ({ width, height }));
      return y;
    }
    (node.children || []).forEach((c, i) => y.insertChild(build(c), i));
    return y;
  };
  const root = build(doc.root);
  const rtl = doc.root.style?.direction === 'rtl';
  root.calculateLayout(doc.device.width, doc.device.height, rtl ? Y.Direction.RTL : Y.Direction.LTR);
  const frames = new Map();
  for (const [node, y] of made) {
    const l = y.getComputedLayout();
    frames.set(node.id, {
      x: l.left, y: l.top, width: l.width, height: l.height,
      borderLeft: y.getComputedBorder(Y.Edge.Left), borderTop: y.getComputedBorder(Y.Edge.Top),
    });
  }
  root.freeRecursive();
  config.free();
  return frames;
}

// ---------------------------------------------------------------- drawing

const px = (v) => `${v}px`;

function boxStyle(el, s) {
  if (s.backgroundColor) el.style.backgroundColor = s.backgroundColor;
  // Yoga's frame is the border box; a leaf's content sits inside its padding (children are
  // placed by Yoga, so padding does not move them).
  for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
    const p = s[`padding${side}`];
    if (typeof p === 'number') el.style[`padding${side}`] = px(p);
  }
  if (s.opacity !== undefined) el.style.opacity = s.opacity;
  for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
    const w = s[`border${side}Width`];
    if (w) {
      el.style[`border${side}Width`] = px(w);
      el.style[`border${side}Style`] = s.borderStyle || 'solid';
      el.style[`border${side}Color`] = s[`border${side}Color`] || s.borderColor || '#000';
    }
  }
  for (const corner of ['TopLeft', 'TopRight', 'BottomLeft', 'BottomRight']) {
    const r = s[`border${corner}Radius`];
    if (r) el.style[`border${corner}Radius`] = px(r);
  }
  if (s.overflow === 'hidden' || s.overflow === 'scroll') el.style.overflow = 'hidden';
  if (s.zIndex !== undefined) el.style.zIndex = s.zIndex;
}

function textStyle(el, s) {
  if (s.color) el.style.color = s.color;
  el.style.fontSize = px(s.fontSize ?? 14);
  if (s.fontWeight) el.style.fontWeight = s.fontWeight === 'bold' ? '700' : s.fontWeight;
  if (s.fontStyle) el.style.fontStyle = s.fontStyle;
  if (s.lineHeight) el.style.lineHeight = px(s.lineHeight);
  if (s.letterSpacing) el.style.letterSpacing = px(s.letterSpacing);
  if (s.textAlign) el.style.textAlign = s.textAlign;
  if (s.textDecorationLine) el.style.textDecorationLine = s.textDecorationLine;
  if (s.textTransform) el.style.textTransform = s.textTransform;
  // The compiler measures text with its bundled Roboto (HSRoboto, served with the page), and
  // so does the page: text wraps where the document measured it.
  el.style.fontFamily = 'HSRoboto, sans-serif';
}

/** The spans of a Text node: its text, or its nested Text / RawText children. */
function spans(node, parent) {
  if (node.text !== undefined && !(node.children || []).length) {
    const span = document.createElement('span');
    span.textContent = node.text;
    textStyle(span, { ...parent, ...node.style });
    return [span];
  }
  return (node.children || []).flatMap((c) => spans(c, { ...parent, ...node.style }));
}

function asset(id) {
  if (!blobs.has(id)) {
    const url = assetUrls.get(id);
    blobs.set(
      id,
      url
        ? api(`${url}?stream=1`).then((r) => (r.ok ? r.blob().then((b) => URL.createObjectURL(b)) : null)).catch(() => null)
        : Promise.resolve(null),
    );
  }
  return blobs.get(id);
}

function picture(el, id, fit, label) {
  const holder = document.createElement('div');
  holder.className = 'hs-img hs-placeholder';
  holder.textContent = label || '';
  el.appendChild(holder);
  if (!id) return;
  asset(id).then((url) => {
    if (!url) return;
    const img = document.createElement('img');
    img.className = 'hs-img';
    img.alt = label || '';
    img.src = url;
    img.style.objectFit = { contain: 'contain', stretch: 'fill', fill: 'fill', center: 'none', none: 'none', 'scale-down': 'scale-down' }[fit] || 'cover';
    holder.replaceWith(img);
  });
}

function leafContent(node, el, frame) {
  const s = node.style || {};
  const props = node.props || {};
  switch (node.type) {
    case 'Text': {
      el.classList.add('hs-text');
      textStyle(el, s);
      if (props.numberOfLines === 1) {
        el.style.whiteSpace = 'nowrap';
        el.style.textOverflow = 'ellipsis';
        el.style.overflow = 'hidden';
      }
      el.append(...spans(node, {}));
      break;
    }
    case 'TextInput': {
      textStyle(el, s);
      const shown = props.value || props.defaultValue;
      el.textContent = shown ? (props.secureTextEntry ? '•'.repeat(shown.length) : shown) : props.placeholder || '';
      if (!shown) el.style.color = props.placeholderTextColor || '#9ca3af';
      el.style.whiteSpace = props.multiline ? 'pre-wrap' : 'nowrap';
      el.style.overflow = 'hidden';
      break;
    }
    case 'Button': {
      const ios = listing?.platform === 'ios';
      el.style.display = 'flex';
      el.style.alignItems = 'center';
      el.style.justifyContent = 'center';
      el.style.fontSize = px(ios ? 18 : 14);
      el.style.fontWeight = ios ? '400' : '500';
      el.style.color = ios ? props.color || '#007aff' : '#fff';
      if (!ios) {
        el.style.backgroundColor = props.color || '#2196f3';
        el.style.borderRadius = '2px';
      }
      el.textContent = ios ? node.text || props.title || '' : (node.text || props.title || '').toUpperCase();
      break;
    }
    case 'Switch': {
      const on = props.value === true;
      el.style.borderRadius = px(frame.height / 2);
      el.style.backgroundColor = (props.trackColor && props.trackColor[on ? 'true' : 'false']) || (on ? '#34c759' : '#e9e9eb');
      const thumb = document.createElement('div');
      const d = frame.height - 4;
      Object.assign(thumb.style, {
        position: 'absolute', top: '2px', width: px(d), height: px(d), borderRadius: '50%',
        left: on ? px(frame.width - d - 2) : '2px', background: props.thumbColor || '#fff',
        boxShadow: '0 1px 3px rgba(0,0,0,0.3)',
      });
      el.appendChild(thumb);
      break;
    }
    case 'ActivityIndicator': {
      el.style.borderRadius = '50%';
      el.style.border = `${Math.max(2, frame.width / 10)}px solid ${props.color || '#999'}`;
      el.style.borderTopColor = 'transparent';
      break;
    }
    case 'HS_ImageSnapshot':
      picture(el, node.snapshot?.asset_id, 'fill', node.snapshot?.component);
      break;
    default:
      break;
  }
}

const LEAVES = new Set(['Text', 'TextInput', 'Button', 'Switch', 'ActivityIndicator', 'HS_ImageSnapshot']);

function draw(node, frames, parentFrame, into) {
  const f = frames.get(node.id);
  const el = document.createElement('div');
  el.className = 'hs-node';
  el.dataset.nodeId = node.id;
  el.dataset.type = node.type;
  const offX = parentFrame ? parentFrame.borderLeft : 0;
  const offY = parentFrame ? parentFrame.borderTop : 0;
  Object.assign(el.style, { left: px(f.x - offX), top: px(f.y - offY), width: px(f.width), height: px(f.height) });
  const s = node.style || {};
  if (s.display === 'none') el.style.display = 'none';
  boxStyle(el, s);
  if (node.type === 'Image' || node.type === 'ImageBackground') {
    const src = node.props?.source || {};
    // React Native clips an image's picture to its rounded corners.
    el.style.overflow = 'hidden';
    const label = src.asset || src.uri || node.type;
    picture(el, src.asset_id, node.props?.resizeMode || node.props?.contentFit, label.split('/').pop());
  }
  // Leaves draw their content (a leaf sized by its style has no `measured`); a measured
  // leaf's children are part of it (nested text) and a snapshot's are in its picture.
  if (node.measured || LEAVES.has(node.type)) leafContent(node, el, f);
  if (!node.measured && node.type !== 'HS_ImageSnapshot') {
    for (const c of node.children || []) draw(c, frames, f, el);
  }
  if (node.action) {
    el.classList.add('hs-action');
    el.addEventListener('click', (ev) => {
      ev.stopPropagation();
      follow(node);
    });
  }
  into.appendChild(el);
  return el;
}

function follow(node) {
  const a = node.action;
  log('interaction', `pressed ${node.type}`, { node_id: node.id, action: a });
  // The document names the target by its screen id (`details`); the listing's ids carry the
  // preview and device in front (`...-iphone-details`).
  const target =
    a.type === 'navigate' && a.screen_id
      ? listing.screens.find((s) => s.screen_id === a.screen_id || s.screen_id.endsWith(`-${a.screen_id}`))
      : null;
  if (target) {
    history.push(current);
    return show(target.screen_id, `navigate to ${a.target}`);
  }
  if (a.type === 'back' && history.length) {
    return show(history.pop(), 'back');
  }
  if (a.type === 'open_url') {
    log('interaction', `would open ${a.url}`);
  }
  return flushLogs();
}

// ---------------------------------------------------------------- screens

function screenById(id) {
  return listing?.screens.find((s) => s.screen_id === id);
}

async function show(id, why) {
  const entry = screenById(id);
  if (!entry) return;
  setStatus(`Loading ${entry.name}…`);
  const r = await api(pathOf(entry.layout_url));
  if (!r.ok) {
    setStatus(`Cannot load ${entry.name} (${r.status})`);
    return;
  }
  const doc = await r.json();
  current = id;
  const frames = layOut(doc);
  const phone = $('phone');
  phone.replaceChildren();
  phone.style.width = px(doc.device.width);
  phone.style.height = px(doc.device.height);
  const rootEl = draw(doc.root, frames, null, phone);
  rootEl.style.left = '0px';
  rootEl.style.top = '0px';
  for (const b of $('screens').children) b.setAttribute('aria-current', String(b.dataset.screen === id));
  const warnings = (doc.warnings || []).length;
  $('notes').textContent = `${doc.screen_name}: ${doc.device.name}, ${frames.size} nodes${warnings ? `, ${warnings} compiler warnings` : ''}. Laid out in this page by Yoga from the document's styles.`;
  setStatus(`${entry.name} · ${listing.screens.length} screens`);
  log('navigation', why || `opened ${entry.name}`, { screen_id: id });
  writeBoxes(phone);
  document.body.dataset.screen = id;
  await flushLogs();
}

function writeBoxes(phone) {
  const origin = phone.getBoundingClientRect();
  const boxes = {};
  for (const el of phone.querySelectorAll('.hs-node')) {
    const r = el.getBoundingClientRect();
    boxes[el.dataset.nodeId] = [r.left - origin.left, r.top - origin.top, r.width, r.height];
  }
  $('hs-boxes').textContent = JSON.stringify(boxes);
}

async function open() {
  if (!token) {
    setStatus('Open this page with a preview link (#token=...)');
    return;
  }
  const r = await api('/api/v1/preview/screens');
  if (!r.ok) {
    setStatus(r.status === 401 ? 'This preview link is not valid for this device (or has expired).' : `Cannot open the preview (${r.status})`);
    document.body.dataset.done = 'error';
    return;
  }
  listing = await r.json();
  assetUrls.clear();
  blobs.clear();
  for (const s of listing.screens) {
    for (const a of s.assets) {
      const p = pathOf(a);
      assetUrls.set(p.split('/').pop().replace(/\.[a-z0-9]+$/, ''), p);
    }
  }
  const nav = $('screens');
  nav.replaceChildren(
    ...listing.screens.map((s) => {
      const b = document.createElement('button');
      b.textContent = s.name;
      b.dataset.screen = s.screen_id;
      b.addEventListener('click', () => {
        history.length = 0;
        show(s.screen_id, `opened ${s.name}`);
      });
      return b;
    }),
  );
  if (listing.status !== 'succeeded') {
    setStatus(`The preview is ${listing.status}${listing.failure_reason ? `: ${listing.failure_reason}` : ''}`);
    document.body.dataset.done = 'error';
    return;
  }
  if (listing.screens.length === 0) {
    setStatus('No screens for this device');
    document.body.dataset.done = '1';
    return;
  }
  // `&screen=` names a screen by id, by the id's last part (`settings`) or by name.
  const wanted = params.get('screen');
  const first =
    (wanted &&
      listing.screens.find(
        (s) => s.screen_id === wanted || s.screen_id.endsWith(`-${wanted}`) || s.name === wanted,
      )) ||
    listing.screens[0];
  await show(first.screen_id);
  const click = params.get('click');
  if (click) {
    const el = document.querySelector(`[data-node-id="${CSS.escape(click)}"]`);
    if (el) {
      el.click();
      // The click's screen change and logs run before `done`.
      await new Promise((resolve) => setTimeout(resolve, 0));
      for (let i = 0; i < 50 && document.body.dataset.screen === first.screen_id; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
  await flushLogs();
  document.body.dataset.done = '1';
}

const select = $('device');
select.replaceChildren(
  ...DEVICES.map((d) => {
    const o = document.createElement('option');
    o.value = d;
    o.textContent = d;
    o.selected = d === device;
    return o;
  }),
);
select.addEventListener('change', () => {
  device = select.value;
  history.length = 0;
  open();
});
open();
