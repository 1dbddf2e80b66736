import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * The shared Chromium harness for browser tests: Debian's `chromium` driven by
 * playwright-core. Usage:
 *
 *   describeInBrowser('the login page', (browser) => {
 *     it('shows a code', async () => {
 *       const page = await browser().newPage();
 *       …
 *     });
 *   });
 *
 * Each suite launches one browser (playwright gives it a fresh temporary profile, its
 * --user-data-dir) and closes it after the suite; give each test its own
 * `browser().newContext()` for fresh storage. Without Chromium the suite fails when
 * CI=true and is skipped otherwise, with the command that installs it.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_HINT = 'Chromium is missing: apt-get install -y chromium fonts-noto-cjk';

// Quiet, deterministic, offline: no first-run UI, no background updates or QUIC probes.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Starts Chromium; the caller closes it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** `describe` with one Chromium for the suite; `browser()` returns it inside tests and hooks. */
export function describeInBrowser(name: string, body: (browser: () => Browser) => void): void {
  if (!chromiumAvailable()) {
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('needs Chromium', () => {
          throw new Error(CHROMIUM_HINT);
        });
      });
      return;
    }
    console.warn(`Skipping "${name}". ${CHROMIUM_HINT}`);
    describe.skip(name, () => body(() => {
      throw new Error(CHROMIUM_HINT);
    }));
    return;
  }
  describe(name, () => {
    let instance: Browser | undefined;
    beforeAll(async () => {
      instance = await launchBrowser();
    });
    afterAll(async () => {
      await instance?.close();
    });
    body(() => {
      if (!instance) throw new Error('the browser is not launched yet: call browser() inside a test or hook');
      return instance;
    });
  });
}
