/**
 * The applicant's page behind a magic link, in its first, plain form: intro and consent, then one
 * file picker per capture (phones open the camera through `capture`), upload, submit, done.
 * The camera flow with on-device detection replaces the capture steps (see the hosted-flow issue).
 */
import type { FlowSession, FlowStatus } from '../contract/flow.js';
import type { CaptureKind, SessionStatus, Step } from '../contract/sessions.js';

interface PageData {
  language: string;
  flow: string;
  merchant: string;
}

/** What the capture step needs, whether the session was just started or found again after a reload. */
interface OpenSession {
  sessionId: string;
  sessionToken: string;
  flow: FlowSession['flow'];
  steps: Step[];
}

interface StoredSession {
  sessionId: string;
  sessionToken: string;
}

const LABELS: Record<CaptureKind, string> = {
  document_front: 'Front of your ID document',
  document_back: 'Back of your ID document',
  selfie: 'A photo of your face',
};
/** The same, inside a sentence. */
const IN_SENTENCE: Record<CaptureKind, string> = {
  document_front: 'the front of your ID document',
  document_back: 'the back of your ID document',
  selfie: 'a photo of your face',
};

const OPEN_STATUSES: SessionStatus[] = ['created', 'in_progress'];

const root = document.getElementById('flow')!;
const page = JSON.parse(document.getElementById('vn-page')!.textContent!) as PageData;
const linkToken = location.pathname.split('/').pop()!;
// The session token lives in this browser only, never in a URL.
const storageKey = `verify-now:session:${linkToken.slice(0, 16)}`;

// This plain page speaks English only (the camera flow brings the link's language): say so, so
// that a screen reader does not read English words with, say, German pronunciation.
document.documentElement.lang = 'en';

/**
 * localStorage, tolerating browsers that refuse it (storage blocked in a third-party iframe throws
 * on access): the flow then still works, only a reload cannot find the session again.
 */
const storage = {
  get(): StoredSession | undefined {
    try {
      const value = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Partial<StoredSession> | null;
      return value?.sessionId && value.sessionToken ? { sessionId: value.sessionId, sessionToken: value.sessionToken } : undefined;
    } catch {
      return undefined;
    }
  },
  set(value: StoredSession): void {
    try {
      localStorage.setItem(storageKey, JSON.stringify(value));
    } catch {
      // Storage refused: nothing to keep.
    }
  },
  clear(): void {
    try {
      localStorage.removeItem(storageKey);
    } catch {
      // Storage refused: nothing was kept.
    }
  },
};

class ApiError extends Error {
  constructor(readonly status: number, readonly code: string | undefined, message: string) {
    super(message);
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function show(...children: Node[]): void {
  root.replaceChildren(...children);
  root.querySelector<HTMLElement>('h1')?.focus();
}

function heading(text: string): HTMLHeadingElement {
  return el('h1', { tabIndex: -1 }, text);
}

async function api<T>(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(path, { method, body, headers });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, json?.error?.code, json?.error?.message ?? `The server answered ${response.status}.`);
  return json as T;
}

/**
 * A reload, or a return to the link in the same browser, goes straight back to the session this
 * browser already has. Only a GET: loading the page never starts a session nor uses the link, even
 * when the stored session has gone (then the intro shows, and Start begins anew).
 */
async function resume(): Promise<void> {
  const stored = storage.get();
  if (!stored) return intro();
  try {
    const status = await api<FlowStatus>('GET', `/api/v1/flow/sessions/${stored.sessionId}`, undefined, {
      authorization: `Bearer ${stored.sessionToken}`,
    });
    if (OPEN_STATUSES.includes(status.status)) {
      return captures({ ...stored, flow: page.flow as FlowSession['flow'], steps: status.steps });
    }
    storage.clear(); // submitted, decided or expired: a return starts anew
  } catch (e) {
    if (e instanceof ApiError && e.status < 500) storage.clear();
    // Otherwise (offline, server error) keep it: Start sends it as resumeToken and takes no new use.
  }
  intro();
}

function intro(): void {
  const consent = el('input', { type: 'checkbox', id: 'consent' });
  const start = el('button', { type: 'button', disabled: true }, 'Start');
  consent.addEventListener('change', () => (start.disabled = !consent.checked));
  const error = el('p', { role: 'alert', className: 'error' });
  start.addEventListener('click', async () => {
    start.disabled = true;
    error.textContent = '';
    try {
      const session = await api<FlowSession>(
        'POST',
        '/api/v1/flow/sessions',
        JSON.stringify({ token: linkToken, resumeToken: storage.get()?.sessionToken }),
        { 'content-type': 'application/json' },
      );
      storage.set({ sessionId: session.sessionId, sessionToken: session.sessionToken });
      captures(session);
    } catch (e) {
      error.textContent = (e as Error).message;
      start.disabled = !consent.checked;
    }
  });
  const asks = page.flow === 'selfie' ? 'a photo of your face' : page.flow === 'document' ? 'photos of your ID document' : 'photos of your ID document and of your face';
  show(
    el('p', { className: 'eyebrow' }, page.merchant),
    heading('Verify your identity'),
    el('p', {}, `${page.merchant} asks you for ${asks}, to confirm who you are. It takes about two minutes.`),
    el('label', { className: 'check' }, consent, el('span', {}, 'I agree that my photos are sent to ', page.merchant, ' for identity verification.')),
    el('p', { className: 'actions' }, start),
    error,
  );
}

function captures(session: OpenSession): void {
  const auth = { authorization: `Bearer ${session.sessionToken}` };
  const status = el('p', { role: 'status' });
  const submit = el('button', { type: 'button' }, 'Submit');
  const done = new Set(session.steps.filter((s) => s.done).map((s) => s.kind));
  const documentType = el('select', { id: 'document-type' },
    el('option', { value: 'id_card' }, 'ID card'),
    el('option', { value: 'passport' }, 'Passport'),
    el('option', { value: 'driving_licence' }, 'Driving licence'));
  const isPassport = () => session.flow !== 'selfie' && documentType.value === 'passport';
  const needed = () => session.steps.map((s) => s.kind).filter((kind) => !(kind === 'document_back' && isPassport()));

  const fields = new Map(session.steps.map((step) => {
    const input = el('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', id: step.kind });
    input.setAttribute('capture', step.kind === 'selfie' ? 'user' : 'environment');
    const state = el('span', { className: 'state', id: `${step.kind}-state` }, done.has(step.kind) ? 'Uploaded' : '');
    input.setAttribute('aria-describedby', state.id);
    const setState = (text: string, kind: 'ok' | 'error' | '' = '') => {
      state.textContent = text;
      state.className = `state ${kind}`.trim();
    };
    if (done.has(step.kind)) setState('Uploaded', 'ok');
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return;
      setState('Uploading…');
      status.textContent = `Uploading ${IN_SENTENCE[step.kind]}…`;
      try {
        await api('PUT', `/api/v1/flow/sessions/${session.sessionId}/captures/${step.kind}`, file, {
          ...auth,
          'content-type': file.type || 'application/octet-stream',
          'capture-metrics': JSON.stringify({ source: 'upload' }),
        });
        done.add(step.kind);
        setState('Uploaded', 'ok');
        status.textContent = `${LABELS[step.kind]}: uploaded.`;
      } catch (e) {
        setState((e as Error).message, 'error');
        status.textContent = `${LABELS[step.kind]}: ${(e as Error).message}`;
      }
    });
    const field = el('div', { className: 'field' }, el('label', { htmlFor: step.kind }, LABELS[step.kind]), input, state);
    return [step.kind, { field, input }] as const;
  }));

  // A passport is photographed on its data page only: no back to ask for.
  const back = fields.get('document_back');
  documentType.addEventListener('change', () => {
    if (back) back.field.hidden = isPassport();
  });

  submit.addEventListener('click', async () => {
    const missing = needed().filter((kind) => !done.has(kind));
    if (missing.length > 0) {
      status.textContent = `Still needed: ${missing.map((kind) => IN_SENTENCE[kind]).join(', ')}.`;
      fields.get(missing[0]!)?.input.focus();
      return;
    }
    submit.disabled = true;
    status.textContent = 'Sending…';
    try {
      const result = await api<FlowStatus>('POST', `/api/v1/flow/sessions/${session.sessionId}/submit`,
        JSON.stringify(session.flow === 'selfie' ? {} : { documentType: documentType.value }),
        { ...auth, 'content-type': 'application/json' });
      storage.clear();
      finished(result);
    } catch (e) {
      status.textContent = (e as Error).message;
      submit.disabled = false;
    }
  });
  const typeField = session.flow === 'selfie'
    ? []
    : [el('div', { className: 'field' }, el('label', { htmlFor: 'document-type' }, 'Type of document'), documentType)];
  show(heading('Your photos'), ...typeField, ...[...fields.values()].map((f) => f.field), el('p', { className: 'actions' }, submit), status);
}

function finished(result: FlowStatus): void {
  show(
    heading('Thank you'),
    el('p', {}, `${page.merchant} has received your verification.`),
    el('p', { className: 'next' }, result.redirectUrl ? `Taking you back to ${page.merchant}…` : 'You can close this page now.'),
  );
  if (result.redirectUrl) setTimeout(() => location.assign(result.redirectUrl!), 1500);
}

void resume();
