// Fetch the Electron binary where the network allows it; never fail `npm install` because of it.
// npm 11 blocks dependency install scripts unless approved, so Electron's own postinstall does not
// run: we run it here, bounded in time, and fall back to web mode (`npm start`) when it cannot finish.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let installJs;
try {
  installJs = join(dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  process.exit(0); // electron not installed (production install without dev dependencies)
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !existsSync(installJs)) process.exit(0);
const r = spawnSync(process.execPath, [installJs], { stdio: 'ignore', timeout: 120_000 });
if (r.status !== 0) {
  console.warn(
    'orderbell: the Electron binary could not be fetched here; `npm start` will run web mode instead.',
  );
}
