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
import Yoga, {
  Align,
  BoxSizing,
  Direction,
  Display,
  Edge,
  Errata,
  FlexDirection,
  Gutter,
  Justify,
  Overflow,
  PositionType,
  Wrap,
} from 'yoga-layout';

const fail = (message) => {
  process.stderr.write(`yoga-harness: ${message}\n`);
  process.exit(1);
};

const ALIGN = {
  auto: Align.Auto,
  'flex-start': Align.FlexStart,
  start: Align.FlexStart,
  center: Align.Center,
  'flex-end': Align.FlexEnd,
  end: Align.FlexEnd,
  stretch: Align.Stretch,
  baseline: Align.Baseline,
  'space-between': Align.SpaceBetween,
  'space-around': Align.SpaceAround,
  'space-evenly': Align.SpaceEvenly,
};
const JUSTIFY = {
  'flex-start': Justify.FlexStart,
  start: Justify.FlexStart,
  center: Justify.Center,
  'flex-end': Justify.FlexEnd,
  end: Justify.FlexEnd,
  'space-between': Justify.SpaceBetween,
  'space-around': Justify.SpaceAround,
  'space-evenly': Justify.SpaceEvenly,
};
const FLEX_DIRECTION = {
  row: FlexDirection.Row,
  column: FlexDirection.Column,
  'row-reverse': FlexDirection.RowReverse,
  'column-reverse': FlexDirection.ColumnReverse,
};
const WRAP = { nowrap: Wrap.NoWrap, wrap: Wrap.Wrap, 'wrap-reverse': Wrap.WrapReverse };
const POSITION = { relative: PositionType.Relative, absolute: PositionType.Absolute, static: PositionType.Static };
const DISPLAY = { flex: Display.Flex, none: Display.None, contents: Display.Contents };
const OVERFLOW = { visible: Overflow.Visible, hidden: Overflow.Hidden, scroll: Overflow.Scroll };
const EDGE_SUFFIX = {
  '': Edge.All,
  Horizontal: Edge.Horizontal,
  Vertical: Edge.Vertical,
  Left: Edge.Left,
  Right: Edge.Right,
  Top: Edge.Top,
  Bottom: Edge.Bottom,
  Start: Edge.Start,
  End: Edge.End,
};
const INSETS = {
  left: Edge.Left,
  right: Edge.Right,
  top: Edge.Top,
  bottom: Edge.Bottom,
  start: Edge.Start,
  end: Edge.End,
  inset: Edge.All,
};

function keyword(table, key, value) {
  if (!(value in table)) fail(`unsupported ${key}: ${JSON.stringify(value)}`);
  return table[value];
}

function applyStyle(node, style) {
  for (const [key, value] of Object.entries(style ?? {})) {
    let m;
    switch (key) {
      case 'flexDirection': node.setFlexDirection(keyword(FLEX_DIRECTION, key, value)); break;
      case 'flexWrap': node.setFlexWrap(keyword(WRAP, key, value)); break;
      case 'flex': node.setFlex(value); break;
      case 'flexGrow': node.setFlexGrow(value); break;
      case 'flexShrink': node.setFlexShrink(value); break;
      case 'flexBasis': node.setFlexBasis(value); break;
      case 'width': node.setWidth(value); break;
      case 'height': node.setHeight(value); break;
      case 'minWidth': node.setMinWidth(value); break;
      case 'minHeight': node.setMinHeight(value); break;
      case 'maxWidth': node.setMaxWidth(value); break;
      case 'maxHeight': node.setMaxHeight(value); break;
      case 'aspectRatio': node.setAspectRatio(value); break;
      case 'alignItems': node.setAlignItems(keyword(ALIGN, key, value)); break;
      case 'alignSelf': node.setAlignSelf(keyword(ALIGN, key, value)); break;
      case 'alignContent': node.setAlignContent(keyword(ALIGN, key, value)); break;
      case 'justifyContent': node.setJustifyContent(keyword(JUSTIFY, key, value)); break;
      case 'position': node.setPositionType(keyword(POSITION, key, value)); break;
      case 'display': node.setDisplay(keyword(DISPLAY, key, value)); break;
      case 'overflow': node.setOverflow(keyword(OVERFLOW, key, value)); break;
      case 'boxSizing': node.setBoxSizing(value === 'content-box' ? BoxSizing.ContentBox : BoxSizing.BorderBox); break;
      case 'direction':
        node.setDirection(value === 'rtl' ? Direction.RTL : value === 'ltr' ? Direction.LTR : Direction.Inherit);
        break;
      case 'gap': node.setGap(Gutter.All, value); break;
      case 'rowGap': node.setGap(Gutter.Row, value); break;
      case 'columnGap': node.setGap(Gutter.Column, value); break;
      default:
        if ((m = /^margin(|Horizontal|Vertical|Left|Right|Top|Bottom|Start|End)$/.exec(key))) {
          node.setMargin(EDGE_SUFFIX[m[1]], value);
        } else if ((m = /^padding(|Horizontal|Vertical|Left|Right|Top|Bottom|Start|End)$/.exec(key))) {
          node.setPadding(EDGE_SUFFIX[m[1]], value);
        } else if ((m = /^border(|Left|Right|Top|Bottom|Start|End)Width$/.exec(key))) {
          node.setBorder(EDGE_SUFFIX[m[1]], value);
        } else if (key in INSETS) {
          if (value === 'auto') node.setPositionAuto(INSETS[key]);
          else node.setPosition(INSETS[key], value);
        }
        // Anything else (colours, fonts, transforms) does not affect layout.
    }
  }
}

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
