// Runs once before the e2e files: finds the browser (and unpacks the packaged one) a single time, so
// every file launches the same executable, and a machine without one gets the same one-line answer
// from each file instead of a skip.
import type { TestProject } from 'vitest/node';
import { locateChromium, type ChromiumChoice } from '../../bench/lib/chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: ChromiumChoice | { error: string };
  }
}

export default async function setup(project: TestProject): Promise<void> {
  try {
    const choice = await locateChromium();
    process.stderr.write(`e2e: Chromium from ${choice.origin}: ${choice.executablePath}\n`);
    project.provide('chromium', choice);
  } catch (err) {
    project.provide('chromium', { error: (err as Error).message });
  }
}
