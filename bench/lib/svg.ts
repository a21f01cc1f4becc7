// The latency chart: one panel per load (paced 1,000 updates/s, full speed), each a percentile curve
// per protocol, the headless CLI solid and its raw baseline dashed, latency on a log axis. Plain
// hand-written SVG, no dependencies; readable in any browser or image viewer.
import { percentile } from './stats.js';

export interface Series {
  label: string;
  color: string;
  dashed: boolean;
  samples: readonly number[];
}

export interface Panel {
  title: string;
  series: Series[];
}

const W = 1000;
const PANEL_H = 330;
const M = { left: 70, right: 210, top: 46, bottom: 46 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e += 1) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= min && v <= max) ticks.push(v);
    }
  }
  return ticks;
}

function fmt(v: number): string {
  if (v >= 1) return String(Math.round(v * 10) / 10);
  return String(Number(v.toPrecision(1)));
}

function panel(p: Panel, y0: number): string {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const series of p.series) {
    for (const v of series.samples) {
      if (v > 0 && v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (max === 0) return '';
  const lo = Math.max(0.01, 10 ** Math.floor(Math.log10(min)));
  const hi = 10 ** Math.ceil(Math.log10(max));
  const pw = W - M.left - M.right;
  const ph = PANEL_H - M.top - M.bottom;
  // The tail is what matters: x is −log10(1 − q), so p50, p90, p99, p99.9 are evenly spread.
  const TAIL = 4;
  const xt = (t: number) => M.left + (t / TAIL) * pw;
  const y = (ms: number) =>
    y0 + M.top + ph - ((Math.log10(Math.max(ms, lo)) - Math.log10(lo)) / Math.log10(hi / lo)) * ph;
  const out: string[] = [];
  out.push(`<text x="${M.left}" y="${y0 + 28}" class="title">${esc(p.title)}</text>`);
  for (const t of logTicks(lo, hi)) {
    out.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/>`,
      `<text x="${M.left - 8}" y="${(y(t) + 4).toFixed(1)}" class="tick" text-anchor="end">${fmt(t)}</text>`,
    );
  }
  for (const [t, label] of [
    [0, 'p0'],
    [Math.log10(2), 'p50'],
    [1, 'p90'],
    [2, 'p99'],
    [3, 'p99.9'],
    [4, 'p99.99'],
  ] as const) {
    out.push(
      `<line x1="${xt(t).toFixed(1)}" x2="${xt(t).toFixed(1)}" y1="${y0 + M.top}" y2="${y0 + M.top + ph}" class="grid"/>`,
      `<text x="${xt(t).toFixed(1)}" y="${y0 + M.top + ph + 18}" class="tick" text-anchor="middle">${label}</text>`,
    );
  }
  out.push(
    `<text x="${M.left + pw / 2}" y="${y0 + PANEL_H - 6}" class="axis" text-anchor="middle">percentile of updates (tail stretched)</text>`,
    `<text x="18" y="${y0 + M.top + ph / 2}" class="axis" transform="rotate(-90 18 ${y0 + M.top + ph / 2})" text-anchor="middle">send → NDJSON line (ms, log)</text>`,
  );
  p.series.forEach((s, i) => {
    const sorted = [...s.samples].sort((a, b) => a - b);
    const pts = Array.from({ length: 201 }, (_, i) => (i / 200) * TAIL)
      .map((t) => `${xt(t).toFixed(1)},${y(percentile(sorted, 100 * (1 - 10 ** -t))).toFixed(1)}`)
      .join(' ');
    out.push(
      `<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    const ly = y0 + M.top + 8 + i * 20;
    const lx = M.left + pw + 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${lx + 32}" y="${ly + 4}" class="legend">${esc(s.label)}</text>`,
    );
  });
  return out.join('\n');
}

export function latencyChart(title: string, subtitle: string, panels: Panel[]): string {
  const h = 60 + panels.length * PANEL_H;
  const body = panels.map((p, i) => panel(p, 50 + i * PANEL_H)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" font-family="system-ui, sans-serif">
<style>
.title{font-size:15px;font-weight:600;fill:#222}
.head{font-size:18px;font-weight:700;fill:#111}
.sub{font-size:12px;fill:#555}
.tick{font-size:11px;fill:#555}
.axis{font-size:12px;fill:#333}
.legend{font-size:12px;fill:#222}
.grid{stroke:#e3e3e3;stroke-width:1}
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${M.left}" y="26" class="head">${esc(title)}</text>
<text x="${M.left}" y="44" class="sub">${esc(subtitle)}</text>
${body}
</svg>
`;
}
