import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { neededService } from './needed-service';

/**
 * The shared Chromium harness for browser tests: Debian's `chromium` driven by
 * playwright-core. Usage:
 *
 *   describeInBrowser('the login page', (browser, newContext) => {
 *     it('shows a code', async () => {
 *       const page = await (await newContext({ locale: 'en-US' })).newPage();
 *       …
 *     });
 *   });
 *
 * Each suite launches one browser (playwright gives it a fresh temporary profile, its
 * --user-data-dir) and closes it after the suite. `newContext()` gives a test fresh
 * storage and watches its pages: after the test it closes the context and fails the test
 * if a page reported a Content-Security-Policy violation (the server sends a strict one on
 * every HTML page, and a blocked script or style fails silently otherwise). Without
 * Chromium the suite fails when CI=true and is skipped otherwise, with the command that
 * installs it.
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

// Chromium's wordings: "Refused to connect to …", "Executing inline script violates the
// following Content Security Policy directive …", and the EvalError of a blocked eval.
const CSP_VIOLATION = /Refused to|Content[- ]Security[- ]Policy/i;

/** A fresh context (own storage), watched for CSP violations and closed after the test. */
export type NewContext = (options?: BrowserContextOptions) => Promise<BrowserContext>;

/**
 * What the pages of one context (new tabs included) printed to the console and threw, in
 * order. Uncaught errors count too: a blocked `eval` or `new Function` throws instead of
 * logging.
 */
class PageLog {
  private readonly entries: string[] = [];

  constructor(context: BrowserContext) {
    context.on('console', (message) => this.entries.push(`console.${message.type()}: ${message.text()}`));
    context.on('weberror', (error) => this.entries.push(`uncaught: ${String(error.error())}`));
  }

  /** The entries that report a Content-Security-Policy violation. */
  cspViolations(): string[] {
    return this.entries.filter((entry) => CSP_VIOLATION.test(entry));
  }
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Starts Chromium; the caller closes it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * `describe` with one Chromium for the suite; `browser()` returns it inside tests and hooks,
 * `newContext()` a watched context of it (see above).
 */
export function describeInBrowser(name: string, body: (browser: () => Browser, newContext: NewContext) => void): void {
  const missing = (): never => {
    throw new Error(CHROMIUM_HINT);
  };
  const skip = () => describe.skip(name, () => body(missing, missing));
  if (!neededService(name, 'Chromium', chromiumAvailable() ? undefined : CHROMIUM_HINT, skip)) return;
  describe(name, () => {
    let instance: Browser | undefined;
    const watched: { context: BrowserContext; log: PageLog }[] = [];
    const browser = (): Browser => {
      if (!instance) throw new Error('the browser is not launched yet: call browser() inside a test or hook');
      return instance;
    };
    beforeAll(async () => {
      instance = await launchBrowser();
    });
    afterEach(async () => {
      const done = watched.splice(0);
      await Promise.all(done.map(({ context }) => context.close()));
      expect(done.flatMap(({ log }) => log.cspViolations())).toEqual([]);
    });
    afterAll(async () => {
      await instance?.close();
    });
    body(browser, async (options) => {
      const context = await browser().newContext(options);
      watched.push({ context, log: new PageLog(context) });
      return context;
    });
  });
}
