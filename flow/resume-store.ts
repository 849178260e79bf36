/**
 * What survives a reload, a closed tab or a dropped connection: the session (its token stays on
 * this device, out of every URL), the step the applicant was on, and every capture not yet
 * uploaded, kept as a Blob in IndexedDB. When storage is refused (some private modes, a blocked
 * third-party frame) everything still works in memory; only a reload starts over.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { Language } from '../contract/common.js';
import type { CaptureKind, CaptureMetrics, DocumentType } from '../contract/sessions.js';
import type { Flow } from '../contract/links.js';
import type { StepId } from './steps.js';


export interface SavedSession {
  sessionId: string;
  sessionToken: string;
  expiresAt: string;
  flow: Flow;
  language: Language;
  step: StepId;
  documentType?: DocumentType;
}

export interface SavedCapture {
  kind: CaptureKind;
  /** When it was taken (ms): tells a retake from the photo it replaced. */
  takenAt: number;
  image: Blob;
  metrics: CaptureMetrics;
  uploaded: boolean;
}

/** The handoff token in the URL's fragment, if any: this page continues a session started on another device. */
export function handoffTokenInUrl(): string | null {
  return new URLSearchParams(location.hash.slice(1)).get('handoff');
}

export class ResumeStore {
  readonly #prefix: string;
  readonly #memory = new Map<string, unknown>();
  #idb: UseStore | undefined;

  /**
   * One store per link, keyed by the link token's id part (the secret rest is not stored).
   * `inMemory`: nothing reaches IndexedDB (the preview mode, which must leave no trace).
   */
  constructor(linkToken: string, inMemory = false) {
    this.#prefix = `${linkToken.slice(0, 22)}:`;
    if (inMemory) return;
    try {
      this.#idb = createStore('verify-now', 'flow');
    } catch {
      this.#idb = undefined;
    }
  }

  async #get<T>(key: string): Promise<T | undefined> {
    if (this.#memory.has(key)) return this.#memory.get(key) as T;
    if (!this.#idb) return undefined;
    try {
      return await get<T>(this.#prefix + key, this.#idb);
    } catch {
      this.#idb = undefined;
      return undefined;
    }
  }

  async #set(key: string, value: unknown): Promise<void> {
    this.#memory.set(key, value);
    if (!this.#idb) return;
    try {
      await set(this.#prefix + key, value, this.#idb);
    } catch {
      this.#idb = undefined; // refused (quota, private mode): memory only from now on
    }
  }

  async #del(key: string): Promise<void> {
    this.#memory.delete(key);
    if (!this.#idb) return;
    try {
      await del(this.#prefix + key, this.#idb);
    } catch {
      this.#idb = undefined;
    }
  }

  session(): Promise<SavedSession | undefined> {
    return this.#get<SavedSession>('session');
  }

  saveSession(session: SavedSession): Promise<void> {
    return this.#set('session', session);
  }

  capture(kind: CaptureKind): Promise<SavedCapture | undefined> {
    return this.#get<SavedCapture>(`capture:${kind}`);
  }

  saveCapture(capture: SavedCapture): Promise<void> {
    return this.#set(`capture:${capture.kind}`, capture);
  }

  deleteCapture(kind: CaptureKind): Promise<void> {
    return this.#del(`capture:${kind}`);
  }

  /** After submit, or when the session is gone: nothing personal stays on the device. */
  async clear(): Promise<void> {
    await Promise.all([this.#del('session'), this.#del('capture:document_front'), this.#del('capture:document_back'), this.#del('capture:selfie')]);
  }
}
