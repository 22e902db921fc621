// Fails when the gzipped browser build (.wasm + JS glue) exceeds the budget
// `sizeBudgetGzipBytes` in the root package.json. Reads the figures the
// release build (scripts/build.mjs) writes to target/package-size.json and
// prints the measured size every run.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const budget = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).sizeBudgetGzipBytes;
if (!Number.isInteger(budget) || budget <= 0) {
  console.error('size budget: package.json has no positive integer "sizeBudgetGzipBytes"');
  process.exit(1);
}
let sizes;
try {
  sizes = JSON.parse(readFileSync(join(root, 'target', 'package-size.json'), 'utf8'));
} catch (e) {
  console.error(`size budget: cannot read target/package-size.json (run the release build first): ${e.message}`);
  process.exit(1);
}
const measured = sizes.totalGzip;
if (!Number.isInteger(measured) || measured <= 0) {
  console.error('size budget: target/package-size.json has no positive integer "totalGzip"');
  process.exit(1);
}
const pct = ((measured / budget) * 100).toFixed(1);
const line = `size budget: ${measured} bytes gzipped (.wasm + JS glue), budget ${budget} bytes (${pct}%)`;
if (measured > budget) {
  console.error(`${line}: OVER BUDGET by ${measured - budget} bytes`);
  process.exit(1);
}
console.log(`${line}: ok, ${budget - measured} bytes to spare`);
