/** A small HTTP client for tests: every answer with its status, headers and parsed JSON. */
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
}

export interface RequestOptions {
  method?: string;
  key?: string;
  json?: unknown;
  body?: RequestInit["body"] | Uint8Array;
  headers?: Record<string, string>;
}

export async function call<T = any>(base: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body = options.body as RequestInit["body"];
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const method = options.method ?? (body ? 'POST' : 'GET');
  const response = await fetch(base + path, { method, headers, body, duplex: 'half' } as RequestInit).catch((error) => {
    throw new Error(`${method} ${path}: ${error.cause?.code ?? ''} ${error.cause?.message ?? error.message}`);
  });
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** The token at the end of a link's URL. */
export const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

export async function createLink(base: string, key: string, fields: Record<string, unknown> = {}) {
  const answer = await call(base, '/api/v1/links', { key, json: { name: 'Test link', flow: 'document+selfie', usageLimit: null, ...fields } });
  if (answer.status !== 201) throw new Error(`link not created: ${answer.status} ${answer.text}`);
  return answer.json as { id: string; url: string; [k: string]: any };
}

export async function startSession(base: string, token: string) {
  return call(base, '/api/v1/flow/sessions', { json: { token } });
}
