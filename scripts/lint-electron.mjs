#!/usr/bin/env node
// `npm run lint:electron`: Electronegativity over the Electron shell's sources, results saved as
// SARIF in test-results/electronegativity.sarif, and a non-zero exit on any HIGH finding.
//   node scripts/lint-electron.mjs [input-dir]   (default: src-main)
// The check that compares the Electron version with the latest releases needs the internet, which
// CI does not have: it is skipped (the version is pinned in package.json and updated deliberately).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ROOT } from './build-if-needed.mjs';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');

const input = resolve(ROOT, process.argv[2] ?? 'src-main');
const output = join(ROOT, 'test-results', 'electronegativity.sarif');
mkdirSync(join(ROOT, 'test-results'), { recursive: true });
const electronVersion = JSON.parse(
  readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;

const result = await run({
  input,
  output,
  isSarif: true,
  customScan: [],
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
  isRelative: true,
  isVerbose: false,
  electronVersionOverride: electronVersion,
  parserPlugins: [],
});

const rank = (issue) => issue.severity?.value ?? 0;
const issues = [...result.issues].sort((a, b) => rank(b) - rank(a));
for (const issue of issues) {
  const where = `${issue.file}:${issue.location?.line ?? 0}:${issue.location?.column ?? 0}`;
  const review = issue.manualReview ? ' (review)' : '';
  console.log(
    `${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id.padEnd(28)} ${where}${review}`,
  );
}
const counts = {};
for (const issue of issues) counts[issue.severity.name] = (counts[issue.severity.name] ?? 0) + 1;
const high = counts.HIGH ?? 0;
console.log(
  `electronegativity: ${issues.length} finding(s) in ${input.replace(`${ROOT}/`, '')} (${
    Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ') || 'none'
  }); electron ${electronVersion}; SARIF: test-results/electronegativity.sarif`,
);
if (high > 0) {
  console.error(`electronegativity: ${high} HIGH severity finding(s): failing.`);
  process.exit(1);
}
