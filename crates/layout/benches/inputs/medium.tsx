import React, { useMemo, useState } from 'react';
import {
  SafeAreaView,
  View,
  Text,
  Image,
  FlatList,
  ScrollView,
  TouchableOpacity,
  StyleSheet,
  Dimensions,
  Platform,
  ActivityIndicator,
} from 'react-native';

const { width } = Dimensions.get('window');

const theme = {
  colors: {
    primary: '#7C3AED',
    secondary: '#F59E0B',
    background: '#F9FAFB',
    card: '#FFFFFF',
    text: '#111827',
    muted: '#6B7280',
    border: '#E5E7EB',
  },
  spacing: { xs: 4, sm: 8, md: 16, lg: 24, xl: 32 },
  radius: { sm: 4, md: 8, lg: 16 },
};

type Product = { id: string; name: string; price: number; rating: number; image: string; tag?: string };

const CATEGORIES = ['All', 'Shoes', 'Bags', 'Watches', 'Jackets'];

const PRODUCTS: Product[] = [
  { id: '1', name: 'Runner One', price: 89, rating: 4.5, image: 'https://example.com/1.png', tag: 'New' },
  { id: '2', name: 'City Bag', price: 129, rating: 4.8, image: 'https://example.com/2.png' },
  { id: '3', name: 'Field Watch', price: 249, rating: 4.2, image: 'https://example.com/3.png', tag: 'Sale' },
  { id: '4', name: 'Rain Jacket', price: 159, rating: 4.6, image: 'https://example.com/4.png' },
];

function Badge({ label, color = theme.colors.secondary }: { label: string; color?: string }) {
  return (
    <View style={[styles.badge, { backgroundColor: color }]}>
      <Text style={styles.badgeText}>{label.toUpperCase()}</Text>
    </View>
  );
}

function Rating({ value }: { value: number }) {
  const stars = Math.round(value);
  return (
    <View style={styles.row}>
      {[1, 2, 3, 4, 5].map((i) => (
        <Text key={i} style={{ color: i <= stars ? theme.colors.secondary : theme.colors.border }}>
          ★
        </Text>
      ))}
      <Text style={styles.ratingText}>{value.toFixed(1)}</Text>
    </View>
  );
}

const ProductCard = React.memo(function ProductCard({ product, onPress }: { product: Product; onPress: () => void }) {
  return (
    <TouchableOpacity style={styles.card} onPress={onPress} activeOpacity={0.8}>
      <Image source={{ uri: product.image }} style={styles.cardImage} resizeMode="cover" />
      {product.tag ? <Badge label={product.tag} /> : null}
      <View style={styles.cardBody}>
        <Text style={styles.cardTitle} numberOfLines={1}>
          {product.name}
        </Text>
        <Rating value={product.rating} />
        <Text style={styles.price}>${product.price}</Text>
      </View>
    </TouchableOpacity>
  );
});

function CategoryChips({ selected, onSelect }: { selected: string; onSelect: (c: string) => void }) {
  return (
    <ScrollView horizontal showsHorizontalScrollIndicator={false} contentContainerStyle={styles.chips}>
      {CATEGORIES.map((c) => {
        const active = c === selected;
        return (
          <TouchableOpacity
            key={c}
            onPress={() => onSelect(c)}
            style={[styles.chip, active && { backgroundColor: theme.colors.primary, borderColor: theme.colors.primary }]}
          >
            <Text style={[styles.chipText, active && styles.chipTextActive]}>{c}</Text>
          </TouchableOpacity>
        );
      })}
    </ScrollView>
  );
}

export default function ShopScreen({ navigation }: any) {
  const [category, setCategory] = useState('All');
  const [loading] = useState(false);
  const items = useMemo(() => PRODUCTS.filter((p) => category === 'All' || p.name.includes(category)), [category]);

  if (loading) {
    return (
      <View style={styles.center}>
        <ActivityIndicator size="large" color={theme.colors.primary} />
      </View>
    );
  }

  return (
    <SafeAreaView style={styles.safe}>
      <View style={styles.header}>
        <View>
          <Text style={styles.hello}>Discover</Text>
          <Text style={styles.headline}>Find your style</Text>
        </View>
        <TouchableOpacity style={styles.cartButton} onPress={() => navigation.navigate('Cart')}>
          <Text style={styles.cartText}>Cart</Text>
        </TouchableOpacity>
      </View>
      <CategoryChips selected={category} onSelect={setCategory} />
      <FlatList
        data={items}
        keyExtractor={(p) => p.id}
        numColumns={2}
        columnWrapperStyle={{ gap: theme.spacing.md }}
        contentContainerStyle={{ padding: theme.spacing.md, gap: theme.spacing.md }}
        renderItem={({ item }) => (
          <ProductCard product={item} onPress={() => navigation.navigate('Product', { id: item.id })} />
        )}
        ListEmptyComponent={<Text style={styles.empty}>Nothing here yet</Text>}
      />
    </SafeAreaView>
  );
}

const CARD_WIDTH = (width - theme.spacing.md * 3) / 2;

const styles = StyleSheet.create({
  safe: { flex: 1, backgroundColor: theme.colors.background },
  center: { flex: 1, alignItems: 'center', justifyContent: 'center' },
  header: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    alignItems: 'center',
    paddingHorizontal: theme.spacing.md,
    paddingTop: Platform.OS === 'android' ? theme.spacing.lg : theme.spacing.sm,
  },
  hello: { color: theme.colors.muted, fontSize: 14 },
  headline: { color: theme.colors.text, fontSize: 24, fontWeight: '700' },
  cartButton: {
    paddingHorizontal: theme.spacing.md,
    paddingVertical: theme.spacing.sm,
    borderRadius: theme.radius.lg,
    backgroundColor: theme.colors.primary,
  },
  cartText: { color: '#fff', fontWeight: '600' },
  chips: { paddingHorizontal: theme.spacing.md, paddingVertical: theme.spacing.sm, gap: theme.spacing.sm },
  chip: {
    borderWidth: 1,
    borderColor: theme.colors.border,
    borderRadius: theme.radius.lg,
    paddingHorizontal: 14,
    paddingVertical: 6,
  },
  chipText: { color: theme.colors.text },
  chipTextActive: { color: '#fff' },
  card: {
    width: CARD_WIDTH,
    backgroundColor: theme.colors.card,
    borderRadius: theme.radius.md,
    overflow: 'hidden',
    ...Platform.select({
      ios: { shadowColor: '#000', shadowOpacity: 0.08, shadowRadius: 8, shadowOffset: { width: 0, height: 2 } },
      android: { elevation: 2 },
    }),
  },
  cardImage: { width: '100%', height: CARD_WIDTH },
  cardBody: { padding: theme.spacing.sm },
  cardTitle: { fontSize: 15, fontWeight: '600', color: theme.colors.text },
  price: { marginTop: theme.spacing.xs, fontSize: 16, fontWeight: '700', color: theme.colors.primary },
  row: { flexDirection: 'row', alignItems: 'center', marginTop: 2 },
  ratingText: { marginLeft: 4, color: theme.colors.muted, fontSize: 12 },
  badge: {
    position: 'absolute',
    top: theme.spacing.sm,
    left: theme.spacing.sm,
    paddingHorizontal: 6,
    paddingVertical: 2,
    borderRadius: theme.radius.sm,
  },
  badgeText: { color: '#fff', fontSize: 10, fontWeight: '700' },
  empty: { textAlign: 'center', color: theme.colors.muted, marginTop: theme.spacing.xl },
});
