// The one place that decides which Chromium the browser checks launch, and how. Used by the e2e
// tests (through their global set-up) and by the window benchmark, so both measure the same browser
// the same way. Order of preference:
//   1. ORDERBELL_CHROMIUM: an explicit executable; a wrong path is an error, never a fallback.
//   2. A system Chromium or Chrome: on PATH, then the usual install paths of the platform.
//   3. The npm package @sparticuz/chromium (a devDependency), which carries a Chromium build inside
//      the package: `npm install` alone gives a browser on Linux x64 with no download.
// Never a browser downloaded at run time.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Flags for every browser we launch: headless, no sandbox (CI runs as root), and nothing that
 * phones home (on a closed network Chromium's background fetches fail loudly, many at a time).
 * @sparticuz/chromium's own `args` are not used: they add `--single-process` and
 * `--disable-web-security`, which would hide the CSP and origin checks the e2e tests make. Its
 * build runs with these flags on Debian as it is. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export const CHROMIUM_ENV = 'ORDERBELL_CHROMIUM';

export type ChromiumOrigin = 'ORDERBELL_CHROMIUM' | 'system' | '@sparticuz/chromium';

export interface ChromiumChoice {
  executablePath: string;
  origin: ChromiumOrigin;
}

/** Executable names looked up on PATH, most specific first. */
export const PATH_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome-stable',
  'google-chrome',
  'chrome',
];

/** Where the usual installers put the browser, by platform. */
export const INSTALL_PATHS: Partial<Record<NodeJS.Platform, readonly string[]>> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
  ],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

/** The npm package's published files hold an x64 Linux build only (its arm64 build is left out of
 * the package), so it is offered only there. */
export function packagedChromiumSupported(platform: NodeJS.Platform, arch: string): boolean {
  return platform === 'linux' && arch === 'x64';
}

/** What the locator reads from the world; tests pass their own. */
export interface LocatorDeps {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  arch: string;
  isExecutable(path: string): boolean;
  /** Unpacks @sparticuz/chromium and returns its executable, or undefined when not installed. */
  packaged(): Promise<string | undefined>;
}

export class ChromiumNotFound extends Error {
  override name = 'ChromiumNotFound';
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function unpackPackaged(): Promise<string | undefined> {
  let mod: { default: { executablePath(): Promise<string> } };
  try {
    mod = (await import('@sparticuz/chromium')) as typeof mod;
  } catch {
    return undefined; // not installed (npm install --omit=dev)
  }
  return mod.default.executablePath();
}

export const realDeps: LocatorDeps = {
  env: process.env,
  platform: process.platform,
  arch: process.arch,
  isExecutable: isExecutableFile,
  packaged: unpackPackaged,
};

/** Every system location to try, in order: PATH entries first, then the install paths. */
export function systemCandidates(deps: Pick<LocatorDeps, 'env' | 'platform'>): string[] {
  const exe = deps.platform === 'win32' ? '.exe' : '';
  const dirs = (deps.env.PATH ?? '').split(delimiter).filter(Boolean);
  const onPath = dirs.flatMap((dir) => PATH_NAMES.map((name) => join(dir, name + exe)));
  return [...onPath, ...(INSTALL_PATHS[deps.platform] ?? [])];
}

export async function locateChromium(deps: LocatorDeps = realDeps): Promise<ChromiumChoice> {
  const explicit = deps.env[CHROMIUM_ENV]?.trim();
  if (explicit) {
    if (deps.isExecutable(explicit)) return { executablePath: explicit, origin: CHROMIUM_ENV };
    throw new ChromiumNotFound(
      `${CHROMIUM_ENV}=${explicit} is not an executable file: point it at a Chromium or Chrome binary, or unset it`,
    );
  }
  const system = systemCandidates(deps).find((p) => deps.isExecutable(p));
  if (system) return { executablePath: system, origin: 'system' };
  if (packagedChromiumSupported(deps.platform, deps.arch)) {
    const packaged = await deps.packaged();
    if (packaged && deps.isExecutable(packaged)) {
      return { executablePath: packaged, origin: '@sparticuz/chromium' };
    }
  }
  throw new ChromiumNotFound(
    `No Chromium found for the browser tests: set ${CHROMIUM_ENV} to a Chromium or Chrome executable ` +
      `(looked on PATH for ${PATH_NAMES.join(', ')}, in the usual install paths` +
      (packagedChromiumSupported(deps.platform, deps.arch)
        ? ', and in the npm package @sparticuz/chromium: run npm install)'
        : `; @sparticuz/chromium has no build for ${deps.platform}/${deps.arch})`),
  );
}
