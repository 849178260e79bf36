/**
 * The applicant's page behind a magic link, in its first, plain form: intro and consent, then one
 * file picker per capture (phones open the camera through `capture`), upload, submit, done.
 * The camera flow with on-device detection replaces the capture steps (see the hosted-flow issue).
 */
import type { FlowSession, FlowStatus } from '../contract/flow.js';
import type { CaptureKind } from '../contract/sessions.js';

interface PageData {
  language: string;
  flow: string;
  merchant: string;
}

const LABELS: Record<CaptureKind, string> = {
  document_front: 'Front of your ID document',
  document_back: 'Back of your ID document',
  selfie: 'A photo of your face',
};

const root = document.getElementById('flow')!;
const page = JSON.parse(document.getElementById('vn-page')!.textContent!) as PageData;
const linkToken = location.pathname.split('/').pop()!;
// The session token lives in this browser only, never in a URL.
const storageKey = `verify-now:session:${linkToken.slice(0, 16)}`;

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
  if (!response.ok) throw new Error(json?.error?.message ?? `The server answered ${response.status}.`);
  return json as T;
}

function intro(): void {
  const consent = el('input', { type: 'checkbox', id: 'consent' });
  const start = el('button', { type: 'button', disabled: true }, 'Start');
  consent.addEventListener('change', () => (start.disabled = !consent.checked));
  const error = el('p', { role: 'alert' });
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const session = await api<FlowSession>(
        'POST',
        '/api/v1/flow/sessions',
        JSON.stringify({ token: linkToken, resumeToken: localStorage.getItem(storageKey) ?? undefined }),
        { 'content-type': 'application/json' },
      );
      localStorage.setItem(storageKey, session.sessionToken);
      captures(session);
    } catch (e) {
      error.textContent = (e as Error).message;
      start.disabled = false;
    }
  });
  const asks = page.flow === 'selfie' ? 'a photo of your face' : page.flow === 'document' ? 'photos of your ID document' : 'photos of your ID document and of your face';
  show(
    el('p', { className: 'eyebrow' }, page.merchant),
    heading('Verify your identity'),
    el('p', {}, `${page.merchant} asks you for ${asks}, to confirm who you are. It takes about two minutes.`),
    el('p', {}, el('label', {}, consent, ' I agree that my photos are sent to ', page.merchant, ' for identity verification.')),
    start,
    error,
  );
}

function captures(session: FlowSession): void {
  const auth = { authorization: `Bearer ${session.sessionToken}` };
  const status = el('p', { role: 'status' });
  const submit = el('button', { type: 'button' }, 'Submit');
  const documentType = el('select', { id: 'document-type' },
    el('option', { value: 'id_card' }, 'ID card'),
    el('option', { value: 'passport' }, 'Passport'),
    el('option', { value: 'driving_licence' }, 'Driving licence'));
  const fields = session.steps.map((step) => {
    const input = el('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp', id: step.kind });
    input.setAttribute('capture', step.kind === 'selfie' ? 'user' : 'environment');
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return;
      status.textContent = `Uploading ${LABELS[step.kind].toLowerCase()}…`;
      try {
        await api('PUT', `/api/v1/flow/sessions/${session.sessionId}/captures/${step.kind}`, file, {
          ...auth,
          'content-type': file.type || 'application/octet-stream',
          'capture-metrics': JSON.stringify({ source: 'upload' }),
        });
        status.textContent = `${LABELS[step.kind]}: uploaded.`;
      } catch (e) {
        status.textContent = (e as Error).message;
      }
    });
    return el('p', {}, el('label', { htmlFor: step.kind }, LABELS[step.kind], step.done ? ' (uploaded)' : ''), el('br'), input);
  });
  submit.addEventListener('click', async () => {
    submit.disabled = true;
    try {
      const result = await api<FlowStatus>('POST', `/api/v1/flow/sessions/${session.sessionId}/submit`,
        JSON.stringify(session.flow === 'selfie' ? {} : { documentType: documentType.value }),
        { ...auth, 'content-type': 'application/json' });
      localStorage.removeItem(storageKey);
      done(result);
    } catch (e) {
      status.textContent = (e as Error).message;
      submit.disabled = false;
    }
  });
  const typeField = session.flow === 'selfie' ? [] : [el('p', {}, el('label', { htmlFor: 'document-type' }, 'Document'), el('br'), documentType)];
  show(heading('Your photos'), ...typeField, ...fields, submit, status);
}

function done(result: FlowStatus): void {
  show(heading('Thank you'), el('p', {}, `${page.merchant} has received your verification.`));
  if (result.redirectUrl) setTimeout(() => location.assign(result.redirectUrl!), 1500);
}

intro();
