import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type LaunchOptions, type Page } from 'playwright-core';

/**
 * Headless Chromium for browser tests: the system's Chromium (Debian's package), never a
 * downloaded one. CHROMIUM_PATH overrides the default /usr/bin/chromium.
 */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The machine may be offline: without these flags Chromium keeps trying to reach Google's
 * services (component updates, sync, QUIC probes) and the tests wait on it.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
}

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `Chromium was not found at ${path}. The browser tests use the system's Chromium: ` +
        `install it: apt-get install -y chromium (or point CHROMIUM_PATH at a Chromium binary).`,
    );
    this.name = 'ChromiumMissingError';
  }
}

/** Launch headless Chromium; throws ChromiumMissingError with the fix when it is not installed. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new ChromiumMissingError(executablePath);
  }
  const { args = [], ...rest } = options;
  return chromium.launch({ timeout: 60_000, ...rest, executablePath, args: [...CHROMIUM_ARGS, ...args] });
}

/** What went wrong on a page: console errors, CSP violations, uncaught exceptions. */
export interface PageProblems {
  /** Every problem as one line, for `assert.deepEqual(problems.all(), [])`. */
  all(): string[];
  consoleErrors: string[];
  cspViolations: string[];
  pageErrors: string[];
}

const CSP_TEXT = /Content Security Policy/i;

/**
 * Start listening for problems on a page; call before the first navigation. CSP violations are
 * caught twice over: from the console (Chromium reports each refusal there) and from the
 * document's own `securitypolicyviolation` events, which an init script (run by the browser
 * outside the page's CSP) forwards through a binding.
 */
export async function watchProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = {
    consoleErrors: [],
    cspViolations: [],
    pageErrors: [],
    all() {
      return [
        ...this.consoleErrors.map((m) => `console: ${m}`),
        ...this.cspViolations.map((m) => `csp: ${m}`),
        ...this.pageErrors.map((m) => `pageerror: ${m}`),
      ];
    },
  };
  const where = (message: ConsoleMessage) => {
    const { url, lineNumber } = message.location();
    return url ? ` (${url}:${lineNumber})` : '';
  };
  page.on('console', (message) => {
    const text = message.text();
    if (CSP_TEXT.test(text)) problems.cspViolations.push(text + where(message));
    else if (message.type() === 'error') problems.consoleErrors.push(text + where(message));
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.stack ?? error.message));
  await page.exposeBinding('__vnReportCspViolation', (_source, text: string) => {
    problems.cspViolations.push(text);
  });
  // A string, not a function: this file is compiled without the DOM's types.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
    window.__vnReportCspViolation?.(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' (' + event.sourceFile + ':' + event.lineNumber + ')');
  });`);
  return problems;
}

/**
 * Waits until `expression` is truthy in the page, evaluating it from here every 50 ms.
 * Not `page.waitForFunction`: it polls a string expression with eval() inside the page, which our
 * pages' CSP (no 'unsafe-eval') refuses as soon as the first check fails — on a loaded machine.
 */
export async function waitInPage(page: Page, expression: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting in the page for: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
