import React, { useState } from 'react';
import { SafeAreaView, ScrollView, View, Text, Pressable, Switch, StyleSheet, Platform, useWindowDimensions } from 'react-native';

const palette = {
  ink: '#0F172A',
  slate: '#475569',
  line: '#E2E8F0',
  surface: '#FFFFFF',
  canvas: '#F1F5F9',
  accent: '#0EA5E9',
  good: '#16A34A',
  bad: '#DC2626',
};

const space = (n: number) => n * 4;

type OverviewProps = { title?: string; expanded: boolean; onToggle: () => void };

function OverviewSection({ title = 'Overview', expanded, onToggle }: OverviewProps) {
  const rows = [
    { label: 'Overview today', value: 100, delta: -1 },
    { label: 'Overview this week', value: 700, delta: 0 },
    { label: 'Overview this month', value: 3000, delta: 1 },
  ];
  return (
    <View style={styles0.section}>
      <Pressable style={styles0.header} onPress={onToggle}>
        <Text style={styles0.title}>{title}</Text>
        <Text style={styles0.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles0.row}>
            <Text style={styles0.label}>{r.label}</Text>
            <Text style={[styles0.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles0 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type RevenueProps = { title?: string; expanded: boolean; onToggle: () => void };

function RevenueSection({ title = 'Revenue', expanded, onToggle }: RevenueProps) {
  const rows = [
    { label: 'Revenue today', value: 107, delta: 0 },
    { label: 'Revenue this week', value: 731, delta: 1 },
    { label: 'Revenue this month', value: 3123, delta: -1 },
  ];
  return (
    <View style={styles1.section}>
      <Pressable style={styles1.header} onPress={onToggle}>
        <Text style={styles1.title}>{title}</Text>
        <Text style={styles1.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles1.row}>
            <Text style={styles1.label}>{r.label}</Text>
            <Text style={[styles1.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles1 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type OrdersProps = { title?: string; expanded: boolean; onToggle: () => void };

function OrdersSection({ title = 'Orders', expanded, onToggle }: OrdersProps) {
  const rows = [
    { label: 'Orders today', value: 114, delta: 1 },
    { label: 'Orders this week', value: 762, delta: -1 },
    { label: 'Orders this month', value: 3246, delta: 0 },
  ];
  return (
    <View style={styles2.section}>
      <Pressable style={styles2.header} onPress={onToggle}>
        <Text style={styles2.title}>{title}</Text>
        <Text style={styles2.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles2.row}>
            <Text style={styles2.label}>{r.label}</Text>
            <Text style={[styles2.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles2 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type CustomersProps = { title?: string; expanded: boolean; onToggle: () => void };

function CustomersSection({ title = 'Customers', expanded, onToggle }: CustomersProps) {
  const rows = [
    { label: 'Customers today', value: 121, delta: -1 },
    { label: 'Customers this week', value: 793, delta: 0 },
    { label: 'Customers this month', value: 3369, delta: 1 },
  ];
  return (
    <View style={styles3.section}>
      <Pressable style={styles3.header} onPress={onToggle}>
        <Text style={styles3.title}>{title}</Text>
        <Text style={styles3.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles3.row}>
            <Text style={styles3.label}>{r.label}</Text>
            <Text style={[styles3.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles3 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type InventoryProps = { title?: string; expanded: boolean; onToggle: () => void };

function InventorySection({ title = 'Inventory', expanded, onToggle }: InventoryProps) {
  const rows = [
    { label: 'Inventory today', value: 128, delta: 0 },
    { label: 'Inventory this week', value: 824, delta: 1 },
    { label: 'Inventory this month', value: 3492, delta: -1 },
  ];
  return (
    <View style={styles4.section}>
      <Pressable style={styles4.header} onPress={onToggle}>
        <Text style={styles4.title}>{title}</Text>
        <Text style={styles4.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles4.row}>
            <Text style={styles4.label}>{r.label}</Text>
            <Text style={[styles4.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles4 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type ReviewsProps = { title?: string; expanded: boolean; onToggle: () => void };

function ReviewsSection({ title = 'Reviews', expanded, onToggle }: ReviewsProps) {
  const rows = [
    { label: 'Reviews today', value: 135, delta: 1 },
    { label: 'Reviews this week', value: 855, delta: -1 },
    { label: 'Reviews this month', value: 3615, delta: 0 },
  ];
  return (
    <View style={styles5.section}>
      <Pressable style={styles5.header} onPress={onToggle}>
        <Text style={styles5.title}>{title}</Text>
        <Text style={styles5.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles5.row}>
            <Text style={styles5.label}>{r.label}</Text>
            <Text style={[styles5.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles5 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type ShippingProps = { title?: string; expanded: boolean; onToggle: () => void };

function ShippingSection({ title = 'Shipping', expanded, onToggle }: ShippingProps) {
  const rows = [
    { label: 'Shipping today', value: 142, delta: -1 },
    { label: 'Shipping this week', value: 886, delta: 0 },
    { label: 'Shipping this month', value: 3738, delta: 1 },
  ];
  return (
    <View style={styles6.section}>
      <Pressable style={styles6.header} onPress={onToggle}>
        <Text style={styles6.title}>{title}</Text>
        <Text style={styles6.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles6.row}>
            <Text style={styles6.label}>{r.label}</Text>
            <Text style={[styles6.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles6 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type ReturnsProps = { title?: string; expanded: boolean; onToggle: () => void };

function ReturnsSection({ title = 'Returns', expanded, onToggle }: ReturnsProps) {
  const rows = [
    { label: 'Returns today', value: 149, delta: 0 },
    { label: 'Returns this week', value: 917, delta: 1 },
    { label: 'Returns this month', value: 3861, delta: -1 },
  ];
  return (
    <View style={styles7.section}>
      <Pressable style={styles7.header} onPress={onToggle}>
        <Text style={styles7.title}>{title}</Text>
        <Text style={styles7.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles7.row}>
            <Text style={styles7.label}>{r.label}</Text>
            <Text style={[styles7.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles7 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type MarketingProps = { title?: string; expanded: boolean; onToggle: () => void };

function MarketingSection({ title = 'Marketing', expanded, onToggle }: MarketingProps) {
  const rows = [
    { label: 'Marketing today', value: 156, delta: 1 },
    { label: 'Marketing this week', value: 948, delta: -1 },
    { label: 'Marketing this month', value: 3984, delta: 0 },
  ];
  return (
    <View style={styles8.section}>
      <Pressable style={styles8.header} onPress={onToggle}>
        <Text style={styles8.title}>{title}</Text>
        <Text style={styles8.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles8.row}>
            <Text style={styles8.label}>{r.label}</Text>
            <Text style={[styles8.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles8 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type SupportProps = { title?: string; expanded: boolean; onToggle: () => void };

function SupportSection({ title = 'Support', expanded, onToggle }: SupportProps) {
  const rows = [
    { label: 'Support today', value: 163, delta: -1 },
    { label: 'Support this week', value: 979, delta: 0 },
    { label: 'Support this month', value: 4107, delta: 1 },
  ];
  return (
    <View style={styles9.section}>
      <Pressable style={styles9.header} onPress={onToggle}>
        <Text style={styles9.title}>{title}</Text>
        <Text style={styles9.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles9.row}>
            <Text style={styles9.label}>{r.label}</Text>
            <Text style={[styles9.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles9 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

type TeamProps = { title?: string; expanded: boolean; onToggle: () => void };

function TeamSection({ title = 'Team', expanded, onToggle }: TeamProps) {
  const rows = [
    { label: 'Team today', value: 170, delta: 0 },
    { label: 'Team this week', value: 1010, delta: 1 },
    { label: 'Team this month', value: 4230, delta: -1 },
  ];
  return (
    <View style={styles10.section}>
      <Pressable style={styles10.header} onPress={onToggle}>
        <Text style={styles10.title}>{title}</Text>
        <Text style={styles10.chevron}>{expanded ? '−' : '+'}</Text>
      </Pressable>
      {expanded &&
        rows.map((r) => (
          <View key={r.label} style={styles10.row}>
            <Text style={styles10.label}>{r.label}</Text>
            <Text style={[styles10.value, r.delta > 0 ? { color: palette.good } : r.delta < 0 ? { color: palette.bad } : null]}>
              {r.value}
            </Text>
          </View>
        ))}
    </View>
  );
}

const styles10 = StyleSheet.create({
  section: { backgroundColor: palette.surface, borderRadius: 12, marginBottom: space(3), overflow: 'hidden' },
  header: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', padding: space(4) },
  title: { fontSize: 17, fontWeight: '600', color: palette.ink },
  chevron: { fontSize: 20, color: palette.slate },
  row: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: space(3),
    borderTopWidth: StyleSheet.hairlineWidth,
    borderTopColor: palette.line,
  },
  label: { color: palette.slate },
  value: { fontWeight: '700', color: palette.ink },
});

export default function DashboardScreen({ navigation }: any) {
  const { width } = useWindowDimensions();
  const [open, setOpen] = useState<Record<string, boolean>>({ Overview: true, Revenue: true });
  const [compact, setCompact] = useState(false);
  const toggle = (k: string) => setOpen({ ...open, [k]: !open[k] });
  return (
    <SafeAreaView style={main.safe}>
      <View style={[main.toolbar, { width }]}>
        <Text style={main.heading}>Dashboard</Text>
        <View style={main.toolbarRight}>
          <Text style={main.caption}>Compact</Text>
          <Switch value={compact} onValueChange={setCompact} />
        </View>
      </View>
      <ScrollView contentContainerStyle={[main.content, compact && { padding: space(2) }]}>
        <OverviewSection expanded={!!open['Overview']} onToggle={() => toggle('Overview')} />        <RevenueSection expanded={!!open['Revenue']} onToggle={() => toggle('Revenue')} />        <OrdersSection expanded={!!open['Orders']} onToggle={() => toggle('Orders')} />        <CustomersSection expanded={!!open['Customers']} onToggle={() => toggle('Customers')} />        <InventorySection expanded={!!open['Inventory']} onToggle={() => toggle('Inventory')} />        <ReviewsSection expanded={!!open['Reviews']} onToggle={() => toggle('Reviews')} />        <ShippingSection expanded={!!open['Shipping']} onToggle={() => toggle('Shipping')} />        <ReturnsSection expanded={!!open['Returns']} onToggle={() => toggle('Returns')} />        <MarketingSection expanded={!!open['Marketing']} onToggle={() => toggle('Marketing')} />        <SupportSection expanded={!!open['Support']} onToggle={() => toggle('Support')} />        <TeamSection expanded={!!open['Team']} onToggle={() => toggle('Team')} />        <Pressable style={main.footerButton} onPress={() => navigation.navigate('Reports')}>
          <Text style={main.footerText}>All reports</Text>
        </Pressable>
      </ScrollView>
    </SafeAreaView>
  );
}

const main = StyleSheet.create({
  safe: { flex: 1, backgroundColor: palette.canvas },
  toolbar: {
    flexDirection: 'row',
    alignItems: 'center',
    justifyContent: 'space-between',
    paddingHorizontal: space(4),
    paddingVertical: Platform.select({ ios: space(2), android: space(3) }),
  },
  toolbarRight: { flexDirection: 'row', alignItems: 'center', gap: space(2) },
  heading: { fontSize: 28, fontWeight: '800', color: palette.ink },
  caption: { color: palette.slate },
  content: { padding: space(4) },
  footerButton: { backgroundColor: palette.accent, borderRadius: 10, paddingVertical: space(3), alignItems: 'center' },
  footerText: { color: '#fff', fontWeight: '700' },
});
