import type { BlobStore } from './captures/blob-store.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { EventHub } from './events/event-hub.js';
import type { Logger } from './log.js';
import type { Present } from './present.js';
import type { Keys } from './secrets.js';
import type { Sharing } from './share/sharing.js';
import type { Store } from './store/store.js';
import type { WebhookDispatcher } from './webhooks/dispatcher.js';

/** What handlers may use: passed in, never imported as globals, so tests can build their own. */
export interface Deps {
  config: Config;
  store: Store;
  blobs: BlobStore;
  keys: Keys;
  clock: Clock;
  log: Logger;
  present: Present;
  /** Email and SMS delivery for sharing links, the outbox and the sharing rate limit. */
  share: Sharing;
  /** Fans new events out to the open `GET /api/v1/events` streams. */
  events: EventHub;
  /** Sends the webhook outbox; `wake()` after queueing a delivery without an event (test, resend). */
  webhooks: WebhookDispatcher;
  /** Built browser assets (flow, widget, dashboard, demo); absent until `npm run build`. */
  webRoot: string;
  /** This server's own origin as browsers reach it (PUBLIC_URL, else the address it listens on). */
  publicUrl(): string;
  /** The demo site's address once it listens (undefined when DEMO_PORT=off). */
  demoUrl(): string | undefined;
}
