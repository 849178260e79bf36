/**
 * A list view's data, kept current: pages loaded from the API (newest first, "show more" for the
 * next), and the account's events applied as they come. The list loads once the event stream is
 * open, and events that arrive while a page loads are applied after it: no change falls between.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { follow, type LiveEvent } from './live.js';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface LiveListOptions<T> {
  /** One page of the list from the API (`cursor` for the next page). */
  fetchPage(cursor: string | undefined): Promise<Page<T>>;
  /** The list after an event (unchanged when the event is not about it). */
  apply(items: T[], event: LiveEvent): T[];
}

export class LiveList<T> implements ReactiveController {
  items: T[] = [];
  next: string | null = null;
  loading = true;
  problem = '';
  #pending: LiveEvent[] | undefined = [];
  #stop: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: LiveListOptions<T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const live = follow((event) => {
      if (this.#pending) this.#pending.push(event);
      else this.#apply(event);
    });
    this.#stop = live.stop;
    void live.ready.then(() => this.reload());
  }

  hostDisconnected(): void {
    this.#stop?.();
  }

  /** The first page afresh (after a filter changed, say). */
  reload(): Promise<void> {
    this.#pending = [];
    return this.#load(undefined);
  }

  more(): Promise<void> {
    return this.next ? this.#load(this.next) : Promise.resolve();
  }

  /** A change the view made itself (a link it just created), before its event arrives. */
  change(update: (items: T[]) => T[]): void {
    this.items = update(this.items);
    this.host.requestUpdate();
  }

  async #load(cursor: string | undefined): Promise<void> {
    this.loading = true;
    this.problem = '';
    this.host.requestUpdate();
    try {
      const page = await this.options.fetchPage(cursor);
      this.items = cursor ? [...this.items, ...page.data] : page.data;
      this.next = page.nextCursor;
      for (const event of this.#pending ?? []) this.#apply(event);
      this.#pending = undefined;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
      this.host.requestUpdate();
    }
  }

  #apply(event: LiveEvent): void {
    this.change((items) => this.options.apply(items, event));
  }
}
