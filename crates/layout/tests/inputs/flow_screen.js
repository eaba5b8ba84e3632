/**
 * @flow strict-local
 * @format
 */
'use strict';

import * as React from 'react';
import type {Node} from 'react';
import typeof SomeModule from './x';
import {View, Text, StyleSheet} from 'react-native';
import type {ViewStyleProp} from 'react-native/Libraries/StyleSheet/StyleSheet';

export type Item = {|
  +id: string,
  +title: ?string,
  ...
|};

opaque type Token: string = string;

declare var __DEV__: boolean;

type Props = $ReadOnly<{|
  items: $ReadOnlyArray<Item>,
  style?: ViewStyleProp,
  onSelect?: ?(item: Item) => mixed,
|}>;

function Row({item}: {item: Item}): Node {
  const title: string = item.title ?? 'untitled';
  return <Text style={styles.row}>{title}</Text>;
}

export default function Home(props: Props): React.Node {
  const [count, setCount] = React.useState<?number>(null);
  const items: Array<Item> = [{id: 'a', title: 'A'}, {id: 'b', title: null}];
  const render = (item: Item): React.Node => <Row key={item.id} item={item} />;
  return (
    <View style={[styles.container, props.style]}>
      {items.map(render)}
      <Text>{count == null ? 'none' : String(count)}</Text>
    </View>
  );
}

const styles = StyleSheet.create({
  container: {flex: 1},
  row: {padding: 4},
});
