// A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every line
// must be a HELP, a TYPE or a sample of a family declared before it, with well-formed names, label
// sets and values, and no series twice. prom-client has no parser of its own; this one refuses
// what a scraper would refuse (and some it would only warn about), so a test fails loudly.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** Suffixes a histogram or summary family's samples may carry. */
const SUFFIXES = ['_bucket', '_sum', '_count'];

export function parsePromText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const series = new Set<string>();
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('text must end with a newline');
  text.split('\n').forEach((line, i) => {
    const where = `line ${i + 1} ${JSON.stringify(line)}`;
    if (line === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, what, name = '', rest = ''] = meta;
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name`);
      const family = families.get(name) ?? { name, help: '', type: 'untyped', samples: [] };
      if (family.samples.length > 0) throw new Error(`${where}: ${what} after samples`);
      if (what === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type`);
        family.type = rest as Family['type'];
      } else family.help = rest;
      families.set(name, family);
      return;
    }
    if (line.startsWith('#')) return; // a comment
    const sample = parseSample(line, where);
    const family = familyOf(families, sample.name);
    if (!family) throw new Error(`${where}: sample of an undeclared family`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (series.has(key)) throw new Error(`${where}: duplicate series`);
    series.add(key);
    family.samples.push(sample);
  });
  for (const f of families.values()) {
    if (f.type === 'counter' && !f.name.endsWith('_total'))
      throw new Error(`counter ${f.name} must end in _total`);
    for (const s of f.samples) {
      if (f.type === 'counter' && !(s.value >= 0))
        throw new Error(`counter ${s.name} is negative or NaN`);
    }
  }
  return families;
}

function familyOf(families: Map<string, Family>, name: string): Family | undefined {
  const exact = families.get(name);
  if (exact) return exact;
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const f = families.get(name.slice(0, -suffix.length));
    if (f && (f.type === 'histogram' || f.type === 'summary')) return f;
  }
  return undefined;
}

function parseSample(line: string, where: string): Sample {
  const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!head) throw new Error(`${where}: bad metric name`);
  const name = head[1] ?? '';
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const m = /^([^=]*)="((?:[^"\\\n]|\\[\\"n])*)"(,?)/.exec(rest);
      if (!m) throw new Error(`${where}: bad label set`);
      const [all, label = '', raw = '', comma] = m;
      if (!LABEL_NAME.test(label)) throw new Error(`${where}: bad label name ${label}`);
      if (Object.hasOwn(labels, label)) throw new Error(`${where}: label ${label} twice`);
      labels[label] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(all.length);
      if (!comma && !rest.startsWith('}')) throw new Error(`${where}: bad label set`);
    }
    rest = rest.slice(1);
  }
  const value = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
  if (!value) throw new Error(`${where}: expected " VALUE [TIMESTAMP]"`);
  const v = value[1] ?? '';
  // As Prometheus reads it (Go's ParseFloat): NaN and Inf in any letter case (prom-client writes "Nan").
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(v);
  const number = special
    ? special[2]?.toLowerCase() === 'nan'
      ? NaN
      : (special[1] === '-' ? -1 : 1) * Infinity
    : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)
      ? Number(v)
      : undefined;
  if (number === undefined) throw new Error(`${where}: bad value ${v}`);
  return { name, labels, value: number };
}

/** The one sample of `name` whose labels include `labels`; throws when there is not exactly one. */
export function sampleOf(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string>,
): number {
  const found = (families.get(name)?.samples ?? []).filter((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length !== 1)
    throw new Error(`${name}${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]?.value ?? NaN;
}
