/**
 * The flow API as the applicant's browser uses it. The session token travels only in the
 * Authorization header, never in a URL.
 */
import type { FlowSession, FlowStatus, Handoff } from '../contract/flow.js';
import type { CaptureKind, CaptureMetrics, DocumentType } from '../contract/sessions.js';

export type { Handoff };

export class FlowApiError extends Error {
  /** `network` when the server could not be reached at all. */
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'FlowApiError';
  }

  get isRetryable(): boolean {
    return this.code === 'network' || this.status >= 500 || this.status === 429;
  }
}

async function call<T>(method: string, path: string, options: { token?: string; json?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
  } catch {
    throw new FlowApiError(0, 'network', 'The server could not be reached.');
  }
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw errorOf(response.status, body);
  return body as T;
}

function errorOf(status: number, body: unknown): FlowApiError {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new FlowApiError(status, error?.code ?? `http_${status}`, error?.message ?? `The server answered ${status}.`);
}

export const flowApi = {
  start: (token: string, resumeToken?: string) => call<FlowSession>('POST', '/api/v1/flow/sessions', { json: { token, resumeToken } }),
  status: (sessionId: string, token: string) => call<FlowStatus>('GET', `/api/v1/flow/sessions/${sessionId}`, { token }),
  submit: (sessionId: string, token: string, documentType: DocumentType | undefined) =>
    call<FlowStatus>('POST', `/api/v1/flow/sessions/${sessionId}/submit`, { token, json: documentType ? { documentType } : {} }),
  createHandoff: (sessionId: string, token: string) => call<Handoff>('POST', `/api/v1/flow/sessions/${sessionId}/handoff`, { token }),
  redeemHandoff: (handoffToken: string) => call<FlowSession>('POST', '/api/v1/flow/handoff', { json: { handoffToken } }),

  /**
   * One capture, with upload progress (fetch cannot report it for a request body, so XHR). Rejects
   * with a FlowApiError; `signal` aborts.
   */
  uploadCapture(
    sessionId: string,
    token: string,
    kind: CaptureKind,
    image: Blob,
    metrics: CaptureMetrics,
    onProgress: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', `/api/v1/flow/sessions/${sessionId}/captures/${kind}`);
      xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.setRequestHeader('content-type', image.type || 'application/octet-stream');
      xhr.setRequestHeader('capture-metrics', JSON.stringify(metrics));
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress(1);
          resolve();
          return;
        }
        let body: unknown;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = undefined;
        }
        reject(errorOf(xhr.status, body));
      };
      xhr.onerror = () => reject(new FlowApiError(0, 'network', 'The upload was interrupted.'));
      xhr.onabort = () => reject(new FlowApiError(0, 'aborted', 'The upload was cancelled.'));
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(image);
    });
  },
};

/** Waits `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number, random = Math.random): number {
  return Math.round(Math.min(30_000, 1000 * 2 ** attempt) * (0.5 + random() / 2));
}
