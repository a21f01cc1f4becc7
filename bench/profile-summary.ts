// Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: self time per function
// and per file, the top N of each. Used to find the causes of missed targets (bench/README).
//   node dist/bench-build/bench/profile-summary.js FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: { name: string; selfMs: number; pct: number }[];
  files: { file: string; selfMs: number; pct: number }[];
}

export function summarizeProfile(path: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i += 1) {
    const id = p.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const f = n.callFrame;
    const file = f.url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/') || '(native)';
    const name = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    fns.set(name, (fns.get(name) ?? 0) + ms);
    const group = file.startsWith('node_modules/')
      ? file
          .split('/')
          .slice(0, file.split('/')[1]?.startsWith('@') ? 3 : 2)
          .join('/')
      : file;
    files.set(group, (files.get(group) ?? 0) + ms);
  }
  const rank = <K extends string>(m: Map<string, number>, key: K) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, ms]) =>
          ({
            [key]: k,
            selfMs: Math.round(ms * 10) / 10,
            pct: Math.round((ms / total) * 1000) / 10,
          }) as { [P in K]: string } & { selfMs: number; pct: number },
      );
  return { totalMs: Math.round(total), functions: rank(fns, 'name'), files: rank(files, 'file') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write('usage: profile-summary.js FILE.cpuprofile [N]\n');
    process.exit(2);
  }
  const s = summarizeProfile(path, Number(process.argv[3] ?? 15));
  console.log(`total sampled: ${s.totalMs} ms`);
  console.log('\nself time by function:');
  for (const f of s.functions)
    console.log(
      `  ${f.selfMs.toFixed(1).padStart(8)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.name}`,
    );
  console.log('\nself time by file / package:');
  for (const f of s.files)
    console.log(
      `  ${f.selfMs.toFixed(1).padStart(8)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.file}`,
    );
}
