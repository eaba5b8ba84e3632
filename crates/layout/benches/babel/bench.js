// Times @babel/core + @react-native/babel-preset on the same inputs as benches/compile.rs.
// Run: npm install --prefix crates/layout/benches/babel && node crates/layout/benches/babel/bench.js
'use strict';
const fs = require('fs');
const path = require('path');
const babel = require('@babel/core');

const inputs = ['small', 'medium', 'large'];
const options = (filename) => ({
  filename,
  babelrc: false,
  configFile: false,
  presets: [require.resolve('@react-native/babel-preset')],
  sourceMaps: false,
  code: true,
});

function percentile(sorted, q) {
  return sorted[Math.round((sorted.length - 1) * q)];
}

console.log(`babel ${babel.version}, @react-native/babel-preset ${require('@react-native/babel-preset/package.json').version}, node ${process.version}`);
console.log('size    lines  babel median/p90 (ms)');
for (const name of inputs) {
  const file = path.join(__dirname, '..', 'inputs', `${name}.tsx`);
  const src = fs.readFileSync(file, 'utf8');
  const opts = options(file);
  for (let i = 0; i < 30; i++) babel.transformSync(src, opts); // warm
  const samples = [];
  for (let i = 0; i < 300; i++) {
    const t = process.hrtime.bigint();
    babel.transformSync(src, opts);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const lines = src.split('\n').length - 1;
  console.log(`${name.padEnd(7)} ${String(lines).padStart(5)}  ${percentile(samples, 0.5).toFixed(3)} / ${percentile(samples, 0.9).toFixed(3)}`);
}
