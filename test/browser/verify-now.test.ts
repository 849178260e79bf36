/// <reference types="mocha" />
/**
 * The <verify-now> element in Chromium, against a fake flow (web-test-runner.config.mjs serves
 * `/v/SCENARIO`: pages that post what the real flow posts, as each scenario scripts it).
 */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/verify-now.js';
import type { VerifyNow } from '../../widget/verify-now.js';

const flowLink = (scenario: string, origin = location.origin) => `${origin}/v/${scenario}`;
/** The same server by its other name: another origin, as far as the browser is concerned. */
const otherOrigin = location.origin.replace('//localhost:', '//127.0.0.1:');

const mounted: Element[] = [];
let consoleErrors: string[] = [];
const originalConsoleError = console.error;

beforeEach(() => {
  consoleErrors = [];
  console.error = (...args: unknown[]) => void consoleErrors.push(args.join(' '));
});

afterEach(() => {
  console.error = originalConsoleError;
  for (const element of mounted.splice(0)) element.remove();
});

function keep<T extends Element>(element: T): T {
  mounted.push(element);
  return element;
}

async function mount(attributes: Record<string, string>, content = ''): Promise<VerifyNow> {
  const element = keep(document.createElement('verify-now'));
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.innerHTML = content;
  document.body.append(element);
  await element.updateComplete;
  return element;
}

function part<T extends HTMLElement = HTMLElement>(element: VerifyNow, name: string): T | null {
  return element.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

const button = (element: VerifyNow) => part<HTMLButtonElement>(element, 'button')!;
const dialog = (element: VerifyNow) => part<HTMLDialogElement>(element, 'dialog')!;
const frame = (element: VerifyNow) => part<HTMLIFrameElement>(element, 'frame');
const status = (element: VerifyNow) => element.shadowRoot!.querySelector<HTMLElement>('[role=status]')!;
const statusText = (element: VerifyNow) => status(element).textContent!.replace(/\s+/g, ' ').trim();

interface Recorded {
  type: string;
  detail: unknown;
  bubbles: boolean;
  composed: boolean;
}

/** The element's events as the document hears them (so only bubbling, composed ones). */
function recordEvents(): Recorded[] {
  const events: Recorded[] = [];
  for (const type of ['verify-complete', 'verify-cancel', 'verify-error'] as const) {
    const listener = (event: Event) => void events.push({ type, detail: (event as CustomEvent).detail, bubbles: event.bubbles, composed: event.composed });
    document.addEventListener(type, listener);
    after(() => document.removeEventListener(type, listener));
  }
  return events;
}

async function until<T>(read: () => T, what: string, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The next message the window receives that `matches`. The element listens from the moment it is
 * connected, before this listener: when this promise settles, the element has already judged it.
 */
function nextMessage(matches: (event: MessageEvent) => boolean): Promise<MessageEvent> {
  return new Promise((resolve) => {
    const listener = (event: MessageEvent) => {
      if (!matches(event)) return;
      removeEventListener('message', listener);
      resolve(event);
    };
    addEventListener('message', listener);
  });
}

const isFlowMessage = (type: string, extra: (data: any) => boolean = () => true) => (event: MessageEvent) =>
  event.data?.source === 'verify-now' && event.data.type === type && extra(event.data);

/** Opens the modal and waits for the fake flow's `ready`. */
async function openReady(element: VerifyNow): Promise<void> {
  element.open();
  await until(() => frame(element) && !frame(element)!.classList.contains('loading') && element.shadowRoot!.querySelector('iframe:not(.loading)'), 'the flow to be ready');
}

/** The dialog's `close` event comes a task after `close()`: waits for the modal, its frame and the element to settle. */
async function closed(element: VerifyNow): Promise<void> {
  await until(() => !dialog(element).open && frame(element) === null, 'the modal to close');
  await element.updateComplete;
}

/** The element that has the focus, looking into shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('<verify-now>', () => {
  let events: Recorded[];
  before(() => {
    events = recordEvents();
  });
  beforeEach(() => {
    events.length = 0;
  });

  describe('the button', () => {
    it('says "Verify now" in the `language`, else the page\'s', async () => {
      const element = await mount({ link: flowLink('ready-only'), language: 'de' });
      const label = () => element.shadowRoot!.querySelector('slot')!.assignedNodes({ flatten: true }).map((n) => n.textContent).join('').trim();
      expect(label()).to.equal('Jetzt verifizieren');
      element.language = 'fr';
      await element.updateComplete;
      expect(label()).to.equal('Vérifier maintenant');
      element.removeAttribute('language');
      await element.updateComplete;
      expect(label()).to.equal('Verify now', 'the page is lang="en"');
      expect(button(element).disabled).to.equal(false);
      expect(element.link).to.equal(flowLink('ready-only'), 'the attribute is the property');
    });

    it('shows the slotted content instead', async () => {
      const element = await mount({ link: flowLink('ready-only') }, '<b>Check my ID</b>');
      const slot = element.shadowRoot!.querySelector('slot')!;
      expect(slot.assignedNodes({ flatten: true }).map((n) => n.textContent).join('')).to.equal('Check my ID');
      expect(button(element).contains(slot)).to.equal(true);
    });

    it('is styled by its parts and custom properties', async () => {
      const style = keep(document.createElement('style'));
      style.textContent = `
        verify-now.themed { --verify-now-button-background: rgb(10, 20, 30); --verify-now-radius: 3px; }
        verify-now.themed::part(button) { text-transform: uppercase; }
        verify-now.themed::part(close-button) { color: rgb(200, 0, 0); }`;
      document.head.append(style);
      const element = await mount({ link: flowLink('ready-only'), class: 'themed' });
      const buttonStyle = getComputedStyle(button(element));
      expect(buttonStyle.backgroundColor).to.equal('rgb(10, 20, 30)');
      expect(buttonStyle.borderTopLeftRadius).to.equal('3px');
      expect(buttonStyle.textTransform).to.equal('uppercase');
      expect(getComputedStyle(part(element, 'close-button')!).color).to.equal('rgb(200, 0, 0)');
      expect(part(element, 'dialog')).to.be.instanceOf(HTMLDialogElement);
      expect(frame(element) === null, 'the frame part exists only while open').to.equal(true);
      await openReady(element);
      expect(frame(element)).to.be.instanceOf(HTMLIFrameElement);
      element.close();
      await closed(element);
    });
  });

  describe('the modal', () => {
    it('opens with the flow in a frame, which exists only while open; close() sends nothing', async () => {
      const link = flowLink('ready-only');
      const element = await mount({ link });
      expect(element.shadowRoot!.querySelector('iframe') === null).to.equal(true);
      element.open();
      await element.updateComplete;
      expect(dialog(element).open).to.equal(true);
      expect(dialog(element).matches(':modal')).to.equal(true);
      expect(frame(element)!.src).to.equal(link);
      expect(frame(element)!.getAttribute('allow')).to.equal('camera; fullscreen');
      expect(frame(element)!.title).to.equal('Identity verification');
      expect(dialog(element).getAttribute('aria-labelledby')).to.equal('title');
      expect(element.shadowRoot!.getElementById('title')!.textContent).to.equal('Identity verification');
      expect(getComputedStyle(document.documentElement).overflow).to.equal('hidden', 'the page behind does not scroll');

      element.close();
      await closed(element);
      expect(element.shadowRoot!.querySelector('iframe') === null).to.equal(true);
      expect(getComputedStyle(document.documentElement).overflow).to.not.equal('hidden');
      expect(events).to.deep.equal([]);
    });

    it('says it is loading, and the button is busy, until the flow says ready', async () => {
      const element = await mount({ link: flowLink('ready-on-request'), language: 'de' });
      element.open();
      await element.updateComplete;
      expect(statusText(element)).to.equal('Die Prüfung wird geladen…');
      expect(button(element).disabled).to.equal(true);
      expect(button(element).getAttribute('aria-busy')).to.equal('true');
      const flowFrame = frame(element)!;
      expect(flowFrame.classList.contains('loading')).to.equal(true);
      await new Promise((resolve) => flowFrame.addEventListener('load', resolve, { once: true }));
      // Still loading: the page is there, but the flow has not said `ready`.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(statusText(element)).to.equal('Die Prüfung wird geladen…');

      flowFrame.contentWindow!.postMessage('send-ready', location.origin);
      await until(() => statusText(element) === '', 'the loading text to go');
      expect(flowFrame.classList.contains('loading')).to.equal(false);
      expect(button(element).hasAttribute('aria-busy')).to.equal(false);
      element.close();
      await closed(element);
      expect(button(element).disabled).to.equal(false);
    });

    it('keeps the focus inside while open: Tab and Shift+Tab never reach the page behind', async () => {
      const pageBefore = keep(document.createElement('button'));
      pageBefore.textContent = 'Before';
      document.body.prepend(pageBefore);
      const element = await mount({ link: flowLink('ready-only') });
      const afterIt = keep(document.createElement('input'));
      document.body.append(afterIt);
      await openReady(element);
      const seen = new Set<string>();
      for (const key of [...Array(12).fill('Tab'), ...Array(12).fill('Shift+Tab')]) {
        if (key === 'Tab') await sendKeys({ press: 'Tab' });
        else {
          await sendKeys({ down: 'Shift' });
          await sendKeys({ press: 'Tab' });
          await sendKeys({ up: 'Shift' });
        }
        const active = document.activeElement;
        expect(active === pageBefore || active === afterIt, `${key} reached the page behind`).to.equal(false);
        expect(active === element || active === document.body, `${key} focused ${active?.localName}`).to.equal(true);
        const inside = deepActiveElement();
        seen.add(inside === element ? 'frame' : inside?.getAttribute('part') ?? inside?.localName ?? 'none');
      }
      // The close button, the flow in its frame, and (between laps) the browser's own controls: the body.
      expect([...seen]).to.include.members(['close-button', 'frame']);
      element.close();
      await closed(element);
    });

    it('Escape closes it, says verify-cancel {reason: "escape"} and gives the focus back to the button', async () => {
      const element = await mount({ link: flowLink('ready-only') });
      button(element).focus();
      await sendKeys({ press: 'Enter' });
      await until(() => dialog(element).open && frame(element) && !frame(element)!.classList.contains('loading'), 'the flow to be ready');
      expect(deepActiveElement() === part(element, 'close-button'), 'the modal takes the focus').to.equal(true);
      await sendKeys({ press: 'Escape' });
      await closed(element);
      expect(events).to.deep.equal([{ type: 'verify-cancel', detail: { reason: 'escape' }, bubbles: true, composed: true }]);
      expect(deepActiveElement() === button(element), 'the button has the focus').to.equal(true);
    });

    it('the close button closes it with verify-cancel {reason: "close-button"}', async () => {
      const element = await mount({ link: flowLink('ready-only'), language: 'it' });
      await openReady(element);
      const close = part<HTMLButtonElement>(element, 'close-button')!;
      expect(close.getAttribute('aria-label')).to.equal('Chiudi');
      close.click();
      await closed(element);
      expect(events).to.deep.equal([{ type: 'verify-cancel', detail: { reason: 'close-button' }, bubbles: true, composed: true }]);
      expect(deepActiveElement() === button(element), 'the button has the focus').to.equal(true);
    });
  });

  describe('messages from the flow', () => {
    it('verify-complete from its own frame, bubbling and composed; the modal stays open', async () => {
      const element = await mount({ link: flowLink('complete') });
      element.open();
      await until(() => events.length > 0, 'verify-complete');
      expect(events).to.deep.equal([{ type: 'verify-complete', detail: { sessionId: 'ses_fake', status: 'submitted' }, bubbles: true, composed: true }]);
      expect(dialog(element).open).to.equal(true);
      element.close();
      await closed(element);
      expect(events.length).to.equal(1, 'no verify-cancel after a completed flow');
    });

    it('the flow\'s cancel closes the modal with verify-cancel {reason: "flow"}', async () => {
      const element = await mount({ link: flowLink('cancel') });
      element.open();
      await closed(element);
      expect(events).to.deep.equal([{ type: 'verify-cancel', detail: { reason: 'flow' }, bubbles: true, composed: true }]);
    });

    it('the flow\'s error is verify-error {code, message}', async () => {
      const element = await mount({ link: flowLink('error') });
      element.open();
      await until(() => events.length > 0, 'verify-error');
      expect(events).to.deep.equal([{ type: 'verify-error', detail: { code: 'camera_failed', message: 'The camera could not start.' }, bubbles: true, composed: true }]);
      element.close();
      await closed(element);
    });

    it('ignores another frame of the same origin', async () => {
      const element = await mount({ link: flowLink('ready-only') });
      await openReady(element);
      const intruder = keep(document.createElement('iframe'));
      const heard = nextMessage((event) => event.source === intruder.contentWindow && isFlowMessage('complete')(event));
      intruder.src = flowLink('complete');
      document.body.append(intruder);
      const message = await heard;
      expect(message.origin).to.equal(location.origin, 'the right origin, the wrong frame');
      expect(events).to.deep.equal([]);
      element.close();
      await closed(element);
    });

    it('ignores its own frame once it has navigated to another origin', async () => {
      const element = await mount({ link: flowLink('other-origin') });
      const heard = nextMessage((event) => event.origin === otherOrigin && isFlowMessage('complete')(event));
      element.open();
      const message = await heard;
      expect(message.source === frame(element)!.contentWindow, 'the right frame, the wrong origin').to.equal(true);
      expect(events).to.deep.equal([]);
      element.close();
      await closed(element);
    });

    it('ignores the page\'s own messages', async () => {
      const element = await mount({ link: flowLink('ready-only') });
      await openReady(element);
      const heard = nextMessage((event) => event.source === window);
      window.postMessage({ source: 'verify-now', type: 'complete', sessionId: 'ses_forged', status: 'approved' }, location.origin);
      await heard;
      expect(events).to.deep.equal([]);
      element.close();
      await closed(element);
    });

    it('ignores malformed messages from its own frame', async () => {
      const element = await mount({ link: flowLink('malformed') });
      const heard = nextMessage(isFlowMessage('step', (data) => data.step === 'malformed-sent'));
      element.open();
      await heard;
      expect(events).to.deep.equal([]);
      expect(dialog(element).open).to.equal(true);
      element.close();
      await closed(element);
    });

    it('hears nothing after close()', async () => {
      const element = await mount({ link: flowLink('ready-only') });
      await openReady(element);
      const flowWindow = frame(element)!.contentWindow!;
      element.close();
      await closed(element);
      // What the frame would have said, had it lived: same source, same origin.
      window.dispatchEvent(new MessageEvent('message', {
        data: { source: 'verify-now', type: 'complete', sessionId: 'ses_late', status: 'submitted' },
        origin: location.origin,
        source: flowWindow,
      }));
      expect(events).to.deep.equal([]);
    });
  });

  describe('a flow that never loads', () => {
    it('offers the link in a new tab, says verify-error flow_unreachable and tells the merchant why, once', async () => {
      const link = flowLink('never-ready');
      const element = await mount({ link });
      element.loadTimeoutMs = 300;
      element.open();
      await element.updateComplete;
      expect(statusText(element)).to.equal('Loading the verification…');
      await until(() => events.length > 0, 'verify-error');
      await element.updateComplete;
      expect(events).to.deep.equal([{
        type: 'verify-error',
        detail: { code: 'flow_unreachable', message: `The verification flow from ${location.origin} did not load in the modal.` },
        bubbles: true,
        composed: true,
      }]);
      expect(frame(element) === null, 'the frame is dropped').to.equal(true);
      expect(dialog(element).open).to.equal(true);
      const newTab = status(element).querySelector('a')!;
      expect([...status(element).querySelectorAll('p')].map((p) => p.textContent)).to.deep.equal(['The verification could not be loaded here.', 'Open it in a new tab']);
      expect(newTab.href).to.equal(link);
      expect(newTab.target).to.equal('_blank');
      expect(newTab.rel).to.equal('noopener');
      expect(consoleErrors.length).to.equal(1, consoleErrors.join('\n'));
      expect(consoleErrors[0]).to.match(/^<verify-now>: the verification flow from http:\/\/localhost:\d+ did not load in the modal within 0.3 s/);
      expect(consoleErrors[0]).to.contain(`is not among the account's embedOrigins (PATCH ${location.origin}/api/v1/account {"embedOrigins": ["${location.origin}"]})`);
      expect(consoleErrors[0]).to.contain(`lacks \`frame-src ${location.origin}\``);
      element.close();
      await closed(element);
    });
  });

  it('removed from the page while loading: no timeout later, and the page scrolls again', async () => {
    const element = await mount({ link: flowLink('never-ready') });
    element.loadTimeoutMs = 200;
    element.open();
    await element.updateComplete;
    element.remove();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(events).to.deep.equal([]);
    expect(consoleErrors).to.deep.equal([]);
    expect(getComputedStyle(document.documentElement).overflow).to.not.equal('hidden');
  });

  describe('a merchant\'s mistakes: one console error and a disabled button', () => {
    for (const [what, link, problem] of [
      ['a missing link', null, /the `link` attribute is missing/],
      ['a link that is not a URL', 'verify.example/v/abc', /the `link` attribute "verify.example\/v\/abc" is not an absolute URL/],
      ['a link whose path is not /v/TOKEN', `${location.origin}/dashboard`, /its path must be \/v\/TOKEN/],
      ['a link that is not http(s)', 'javascript:alert(1)', /must be an https:\/\/ URL/],
    ] as const) {
      it(what, async () => {
        const element = await mount(link === null ? {} : { link });
        expect(button(element).disabled).to.equal(true);
        element.open();
        expect(dialog(element).open).to.equal(false, 'open() does nothing');
        element.language = 'de'; // re-renders: still one message
        await element.updateComplete;
        expect(consoleErrors.length).to.equal(1, consoleErrors.join('\n'));
        expect(consoleErrors[0]).to.match(problem);
        expect(consoleErrors[0]).to.match(/^<verify-now>: .*The button stays disabled until it is fixed\.$/);

        element.link = flowLink('ready-only');
        await element.updateComplete;
        expect(button(element).disabled).to.equal(false, 'fixing the link enables the button');
        expect(consoleErrors.length).to.equal(1);
      });
    }

    it('bundled (not loaded from /widget/…), a link of any host is taken', async () => {
      const element = await mount({ link: flowLink('ready-only', otherOrigin) });
      expect(button(element).disabled).to.equal(false);
      expect(consoleErrors).to.deep.equal([]);
    });

    /** A merchant's page in a frame (its own window, its own registry), loading the widget from /widget/…. */
    async function merchantPage(script: 'module' | 'classic' | 'both', link: string) {
      const page = keep(document.createElement('iframe'));
      page.src = `/__widget__/merchant.html?script=${script}&link=${encodeURIComponent(link)}`;
      document.body.append(page);
      const win = await until(() => page.contentWindow?.customElements.get('verify-now') && page.contentWindow, 'the widget in the merchant\'s page');
      const element = win.document.querySelector('verify-now') as VerifyNow;
      await element.updateComplete;
      return { win: win as Window & { consoleMessages: string[] }, element };
    }

    for (const script of ['module', 'classic'] as const) {
      it(`loaded from /widget/ (${script}), a link of another host`, async () => {
        const link = flowLink('ready-only', otherOrigin);
        const { win, element } = await merchantPage(script, link);
        expect(button(element).disabled).to.equal(true);
        expect(win.consoleMessages).to.deep.equal([
          `error: <verify-now>: the \`link\` "${link}" is on ${otherOrigin}, but this script was loaded from ${location.origin}. ` +
            `Load the script from the link's own server (${otherOrigin}/widget/verify-now.js), or use a link made by ${location.origin}. ` +
            'The button stays disabled until it is fixed.',
        ]);
      });

      it(`loaded from /widget/ (${script}), a link of the same host is taken`, async () => {
        const { win, element } = await merchantPage(script, flowLink('ready-only'));
        expect(button(element).disabled).to.equal(false);
        expect(win.consoleMessages).to.deep.equal([]);
      });
    }

    it('the script loaded three times: one warning, and the page works', async () => {
      const { win, element } = await merchantPage('both', flowLink('ready-only'));
      const third = win.document.createElement('script');
      third.type = 'module';
      third.src = '/widget/verify-now.js?again';
      const loaded = new Promise((resolve) => third.addEventListener('load', resolve));
      win.document.head.append(third);
      await loaded;
      expect(win.consoleMessages).to.deep.equal(['warn: <verify-now>: the widget script is loaded more than once; the first copy is used. Include it once.']);
      expect(button(element).disabled).to.equal(false);
      button(element).click();
      await element.updateComplete;
      expect(dialog(element).open).to.equal(true);
      element.close();
      await closed(element);
    });
  });
});
