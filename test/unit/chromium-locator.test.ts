// Which browser the e2e tests and the window benchmark launch: the environment variable, then a
// system Chromium or Chrome, then the npm package's build; otherwise one line that says what to set.
import { describe, expect, it } from 'vitest';
import { ChromiumNotFound, locateChromium, type LocatorDeps } from '../../bench/lib/chromium.js';

const PACKAGED = '/tmp/chromium';

function deps(over: {
  env?: Record<string, string>;
  platform?: NodeJS.Platform;
  arch?: string;
  executables?: string[];
  packaged?: string | undefined;
}): LocatorDeps & { unpacked: () => number } {
  const exes = new Set(over.executables ?? []);
  let unpacked = 0;
  return {
    env: { PATH: '/usr/local/bin:/usr/bin', ...over.env },
    platform: over.platform ?? 'linux',
    arch: over.arch ?? 'x64',
    isExecutable: (p) => exes.has(p),
    packaged: async () => {
      unpacked += 1;
      return 'packaged' in over ? over.packaged : PACKAGED;
    },
    unpacked: () => unpacked,
  };
}

describe('locateChromium', () => {
  const found: Array<[string, Parameters<typeof deps>[0], string, string]> = [
    [
      'the environment variable wins over everything',
      {
        env: { ORDERBELL_CHROMIUM: '/opt/my/chrome' },
        executables: ['/opt/my/chrome', '/usr/bin/chromium', PACKAGED],
      },
      '/opt/my/chrome',
      'ORDERBELL_CHROMIUM',
    ],
    [
      'a chromium on PATH, in PATH order',
      { executables: ['/usr/bin/chromium', '/usr/local/bin/chromium', PACKAGED] },
      '/usr/local/bin/chromium',
      'system',
    ],
    [
      'Chrome on PATH when there is no Chromium',
      { executables: ['/usr/bin/google-chrome', PACKAGED] },
      '/usr/bin/google-chrome',
      'system',
    ],
    [
      'an install path off PATH',
      { env: { PATH: '/nowhere' }, executables: ['/opt/google/chrome/chrome', PACKAGED] },
      '/opt/google/chrome/chrome',
      'system',
    ],
    [
      'macOS app bundle',
      {
        platform: 'darwin',
        arch: 'arm64',
        executables: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
      },
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      'system',
    ],
    [
      'the npm package when the machine has no browser (Linux x64)',
      { executables: [PACKAGED] },
      PACKAGED,
      '@sparticuz/chromium',
    ],
    [
      'a blank environment variable is treated as unset',
      { env: { ORDERBELL_CHROMIUM: '  ' }, executables: [PACKAGED] },
      PACKAGED,
      '@sparticuz/chromium',
    ],
  ];
  it.each(found)('%s', async (_name, over, path, origin) => {
    const d = deps(over);
    await expect(locateChromium(d)).resolves.toEqual({ executablePath: path, origin });
  });

  it('does not unpack the packaged browser when a system one exists', async () => {
    const d = deps({ executables: ['/usr/bin/chromium', PACKAGED] });
    await locateChromium(d);
    expect(d.unpacked()).toBe(0);
  });

  const missing: Array<[string, Parameters<typeof deps>[0], RegExp]> = [
    [
      'a wrong ORDERBELL_CHROMIUM is an error, never a silent fallback',
      { env: { ORDERBELL_CHROMIUM: '/no/such/chrome' }, executables: ['/usr/bin/chromium'] },
      /^ORDERBELL_CHROMIUM=\/no\/such\/chrome is not an executable file/,
    ],
    [
      'Linux x64 with the package not installed',
      { executables: [], packaged: undefined },
      /^No Chromium found for the browser tests: set ORDERBELL_CHROMIUM .*run npm install\)$/,
    ],
    [
      'Linux arm64: the package ships no build there',
      { arch: 'arm64', executables: [PACKAGED] },
      /set ORDERBELL_CHROMIUM .*@sparticuz\/chromium has no build for linux\/arm64\)$/,
    ],
    [
      'Windows without Chrome',
      { platform: 'win32', executables: [PACKAGED] },
      /set ORDERBELL_CHROMIUM .*no build for win32\/x64\)$/,
    ],
  ];
  it.each(missing)('%s', async (_name, over, message) => {
    const err = await locateChromium(deps(over)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChromiumNotFound);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});
