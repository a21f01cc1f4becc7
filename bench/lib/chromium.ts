// How every browser check here launches Chromium: Debian's build, never a downloaded one, with the
// flags that keep it off a closed network. Shared by the e2e tests and the window benchmark so both
// measure the same browser the same way.
export const CHROMIUM = process.env.ORDERBELL_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
