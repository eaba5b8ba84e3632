// Lays out frame trees with the real Yoga (npm yoga-layout 3.2.1) configured as React Native
// configures it (Errata.All, pointScaleFactor = device scale, no web defaults) and prints every
// node's frame, so that hivesync-frames can be checked against it.
//
// Usage: node harness.mjs INPUT.json   (or `-` for stdin)
//
// Input: {"cases": [{"name": "...", "viewport": {"width": 393, "height": 852, "scale": 3},
//                    "root": NODE}, ...]}
//   (a single {"viewport": ..., "root": ...} object is accepted too; width/height may be null)
// NODE:  {"style": {React Native style}, "children": [NODE, ...],
//         "measured": {"width": w, "height": h}}   // a leaf with a fixed intrinsic size
// Output (stdout): {"cases": [{"name": "...", "frames": [{"x", "y", "width", "height"}, ...]}]}
// with frames in pre-order (root first), relative to the parent, in points.
// Text cannot be measured here (no font): give text nodes a `measured` size instead.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as Y from 'yoga-layout';
import { styleApplier } from './style.mjs';

const Yoga = Y.default;
const { Direction, Errata } = Y;

const fail = (message) => {
  process.stderr.write(`yoga-harness: ${message}\n`);
  process.exit(1);
};

const applyStyle = styleApplier(Y, fail);

function build(config, spec, path) {
  if (spec === null || typeof spec !== 'object') fail(`${path}: a node must be an object`);
  if (spec.text !== undefined && !spec.measured) fail(`${path}: text nodes need a "measured" size`);
  const node = Yoga.Node.create(config);
  applyStyle(node, spec.style);
  if (spec.measured) {
    const { width, height } = spec.measured;
    node.setMeasureFunc(() => ({ width, height }));
    return { node, children: [] };
  }
  const children = (spec.children ?? []).map((child, i) => build(config, child, `${path}.children[${i}]`));
  children.forEach((child, i) => node.insertChild(child.node, i));
  return { node, children };
}

function frames(tree, out) {
  const l = tree.node.getComputedLayout();
  out.push({ x: l.left, y: l.top, width: l.width, height: l.height });
  for (const child of tree.children) frames(child, out);
  return out;
}

function run(testCase, index) {
  const viewport = testCase.viewport ?? {};
  const config = Yoga.Config.create();
  config.setErrata(Errata.All);
  config.setUseWebDefaults(false);
  config.setPointScaleFactor(viewport.scale ?? 1);
  const tree = build(config, testCase.root, `cases[${index}].root`);
  const direction = testCase.root?.style?.direction === 'rtl' ? Direction.RTL : Direction.LTR;
  tree.node.calculateLayout(viewport.width ?? undefined, viewport.height ?? undefined, direction);
  const result = { name: testCase.name ?? `case ${index}`, frames: frames(tree, []) };
  tree.node.freeRecursive();
  return result;
}

export { run };

// Run as a program (not imported, as agreement.mjs does).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) fail('usage: node harness.mjs INPUT.json (or - for stdin)');
  let input;
  try {
    input = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
  const cases = Array.isArray(input.cases) ? input.cases : [input];
  process.stdout.write(JSON.stringify({ cases: cases.map(run) }) + '\n');
}
