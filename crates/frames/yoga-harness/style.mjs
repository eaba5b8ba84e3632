// React Native style -> Yoga node setters, shared by the Node harness (harness.mjs) and the
// web preview viewer (crates/server/viewer), so both lay a document out the same way.
//
// `styleApplier(Y, fail)` takes the yoga-layout module's namespace (its enums) and a function
// called with a message for a value Yoga cannot take; it returns `applyStyle(node, style)`.

export function styleApplier(Y, fail) {
  const { Align, BoxSizing, Direction, Display, Edge, FlexDirection, Gutter, Justify, Overflow, PositionType, Wrap } = Y;
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

  return applyStyle;
}
