// Stock Yoga over Layout JSON documents: lays each document out again with npm yoga-layout
// (configured as React Native configures it, harness.mjs) from the JSON alone (every node's
// `style`, its children, a measured leaf's `measured` size) and compares every frame with the
// document's own `frame`. Prints how many frames agree within 0.5 device pixels, overall and
// for the nodes inside scroll views, and the worst disagreements.
//
// Usage: node agreement.mjs DIR   (DIR holds laid-out documents, *.json; e.g. written by the
//        fidelity bench with HIVESYNC_FIDELITY_DOCS=DIR)

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './harness.mjs';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node agreement.mjs DIR\n');
  process.exit(1);
}

const SCROLLS = new Set(['ScrollView', 'FlatList', 'SectionList']);

function harnessNode(node) {
  const out = { style: node.style ?? {} };
  if (node.measured) {
    out.measured = node.measured;
    return out;
  }
  out.children = (node.children ?? []).map(harnessNode);
  return out;
}

function documentFrames(node, inScroll, out) {
  out.push({ node, inScroll });
  if (node.measured) return out;
  const scroll = inScroll || SCROLLS.has(node.type);
  for (const c of node.children ?? []) documentFrames(c, scroll, out);
  return out;
}

let screens = 0;
let frames = 0;
let agree = 0;
let scrollFrames = 0;
let scrollAgree = 0;
const worst = [];
for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const doc = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const ours = documentFrames(doc.root, false, []);
  const yoga = run({
    name,
    viewport: { width: doc.device.width, height: doc.device.height, scale: doc.device.scale },
    root: harnessNode(doc.root),
  }, screens).frames;
  screens += 1;
  ours.forEach(({ node, inScroll }, i) => {
    const a = node.frame;
    const b = yoga[i];
    const off = Math.max(...['x', 'y', 'width', 'height'].map((k) => Math.abs(a[k] - b[k]))) * doc.device.scale;
    frames += 1;
    if (inScroll) scrollFrames += 1;
    if (off <= 0.5) {
      agree += 1;
      if (inScroll) scrollAgree += 1;
    } else {
      worst.push({ off, at: `${name} ${node.type} ${node.id}`, a, b });
    }
  });
}
const pct = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(2)}%`);
console.log(`${screens} documents, ${frames} frames: ${agree} (${pct(agree, frames)}) agree with stock Yoga within 0.5 px`);
console.log(`inside scroll views: ${scrollAgree} of ${scrollFrames} (${pct(scrollAgree, scrollFrames)})`);
worst.sort((x, y) => y.off - x.off);
for (const w of worst.slice(0, 15)) {
  console.log(`  ${w.off.toFixed(2)} px  ${w.at}  document ${JSON.stringify(w.a)} yoga ${JSON.stringify(w.b)}`);
}
