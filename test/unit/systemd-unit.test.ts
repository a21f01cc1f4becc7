// packaging/orderbell.service: the keys docs/service.md promises, and, where systemd-analyze
// exists (CI runs on Debian, so it usually does), systemd's own verdict on the unit: no unknown
// key, no bad value, an executable ExecStart, and a low exposure score.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const UNIT = join(import.meta.dirname, '..', '..', 'packaging', 'orderbell.service');
const PACKAGE_JSON = join(import.meta.dirname, '..', '..', 'package.json');
const text = readFileSync(UNIT, 'utf8');

/** section → key → values (a key may repeat), comments and blank lines skipped. */
function parseUnit(source: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  source.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[([A-Za-z]+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1] ?? '', current);
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`line ${i + 1}: not a key=value in a section: ${raw}`);
    const [, key = '', value = ''] = kv;
    current.set(key, [...(current.get(key) ?? []), value]);
  });
  return sections;
}

const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

/** A copy whose ExecStart runs this machine's node (verify checks that the binary exists). */
function localCopy(unitText: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ob-unit-'));
  const path = join(dir, 'orderbell.service');
  writeFileSync(
    path,
    unitText.replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${process.execPath} `),
  );
  return path;
}

describe('packaging/orderbell.service', () => {
  const unit = parseUnit(text);
  const service = unit.get('Service') ?? new Map<string, string[]>();
  const one = (key: string) => service.get(key)?.join(' ');

  it('runs the headless CLI as a simple, reloadable service of its own user', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    expect(one('Type')).toBe('simple');
    expect(one('User')).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(one('User')).not.toBe('root');
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(one('StateDirectory')).toBe('orderbell');
    const exec = one('ExecStart') ?? '';
    expect(exec).toMatch(/^\/usr\/bin\/node (?:--\S+ )*\S+\/dist\/src-main\/cli\/headless\.js /);
    expect(exec).toContain('--config /etc/orderbell/orderbell.json');
    // The state folder is the one StateDirectory= creates for the user.
    expect(exec).toContain('--state-dir /var/lib/orderbell');
    expect(exec).toMatch(/--http 127\.0\.0\.1:\d+/);
    expect(one('RestartPreventExitStatus')).toBe('2');
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('starts node with the flags of npm run headless, which the bench measures memory with', () => {
    const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as {
      scripts: Record<string, string>;
    };
    const flagsOf = (command: string) =>
      (/\bnode((?: --\S+)*) /.exec(command)?.[1] ?? '').trim().split(' ').filter(Boolean);
    const npmFlags = flagsOf(pkg.scripts.headless ?? '');
    expect(npmFlags).toContain('--max-semi-space-size=4');
    expect(flagsOf(one('ExecStart') ?? '')).toEqual(npmFlags);
  });

  it('sets the environment npm run headless sets before node, which the bench measures with', () => {
    const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as {
      scripts: Record<string, string>;
    };
    const npmEnv = (pkg.scripts.headless ?? '').match(/^(?:[A-Z_][A-Z0-9_]*=\S* )*/)?.[0] ?? '';
    const assignments = npmEnv.trim().split(' ').filter(Boolean);
    expect(assignments).toContain('MALLOC_ARENA_MAX=2');
    for (const a of assignments) expect(service.get('Environment')).toContain(a);
  });

  it.each([
    ['NoNewPrivileges', 'yes'],
    ['ProtectSystem', 'strict'],
    ['ProtectHome', 'yes'],
    ['PrivateTmp', 'yes'],
    ['PrivateDevices', 'yes'],
    ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
    ['RestrictNamespaces', 'yes'],
    ['CapabilityBoundingSet', ''],
    ['SystemCallFilter', '@system-service'],
  ])('is hardened: %s=%s', (key, value) => {
    expect(one(key)).toBe(value);
  });

  it.runIf(hasAnalyze)('passes systemd-analyze verify with nothing to say', () => {
    const r = spawnSync('systemd-analyze', ['verify', localCopy(text)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.runIf(hasAnalyze)('(and verify does speak up about a misspelled key)', () => {
    const bad = text.replace('NoNewPrivileges=yes', 'NoNewPrivilege=yes');
    const r = spawnSync('systemd-analyze', ['verify', localCopy(bad)], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/Unknown key 'NoNewPrivilege'/);
  });

  it.runIf(hasAnalyze)('scores as little exposed by systemd-analyze security', (ctx) => {
    const r = spawnSync(
      'systemd-analyze',
      ['security', '--offline=yes', '--threshold=25', localCopy(text)],
      { encoding: 'utf8' },
    );
    // --offline came with systemd 250; older ones cannot score a unit file that is not installed.
    if (/unrecognized option|unknown option/i.test(r.stderr)) ctx.skip();
    expect(r.stdout).toMatch(/Overall exposure level for orderbell\.service: [0-2]\.\d OK/);
    expect(r.status).toBe(0);
  });
});
