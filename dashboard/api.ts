/**
 * The dashboard's calls to the API: same origin, the sign-in cookie goes by itself; every write
 * carries the CSRF token the sign-in answered. Errors arrive as `ApiError` with the API's code and
 * its sentence for people; a 401 means the sign-in ended, and the app goes back to sign-in.
 */
import type { DashboardSession } from '../contract/auth.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class Api {
  csrfToken = '';
  /** Called when a request finds the sign-in gone (expired, signed out elsewhere). */
  onSignedOut: () => void = () => {};

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** A binary answer (a capture, a QR code) as a Blob, fetched with the cookie. */
  async blob(path: string): Promise<Blob> {
    const response = await this.send('GET', path);
    return response.blob();
  }

  async signIn(email: string, password: string): Promise<DashboardSession> {
    const session = await this.post<DashboardSession>('/api/v1/auth/login', { email, password });
    this.csrfToken = session.csrfToken;
    return session;
  }

  /** The current sign-in, or undefined when there is none. */
  async currentSession(): Promise<DashboardSession | undefined> {
    const { session } = await this.get<{ session: DashboardSession | null }>('/api/v1/auth/session');
    if (session) this.csrfToken = session.csrfToken;
    return session ?? undefined;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached. Check the connection and try again.');
    }
    if (response.ok) return response;
    const answer = (await response.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
    const error = new ApiError(response.status, answer?.error?.code ?? 'error', answer?.error?.message ?? `The server answered ${response.status}.`);
    if (response.status === 401 && !path.startsWith('/api/v1/auth/login')) this.onSignedOut();
    throw error;
  }
}

export const api = new Api();
