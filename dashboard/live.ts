/**
 * The account's events as they happen (`GET /api/v1/events`, server-sent events with the sign-in
 * cookie). One EventSource for the whole app, opened while a view listens; the browser reconnects
 * by itself and sends Last-Event-ID, so nothing is missed across a dropped connection.
 */
export interface LiveEvent<T = unknown> {
  id: string;
  type: string;
  createdAt: string;
  data: T;
}

type Listener = (event: LiveEvent) => void;

/** The account's event types (contract/sessions.ts EVENT_TYPES; copied: that module brings zod into the page). */
export const EVENT_TYPES = [
  'session.created', 'session.in_progress', 'session.submitted', 'session.review', 'session.approved', 'session.denied',
  'session.expired', 'session.erased', 'session.handed_off',
  'link.created', 'link.updated', 'link.exhausted', 'link.expired', 'link.deactivated',
] as const;

const listeners = new Set<Listener>();
let source: EventSource | undefined;
let opened: Promise<void> = Promise.resolve();

/** How long a view waits for the stream before loading its list anyway (the stream may be down). */
const OPEN_WAIT_MS = 3000;

function open(): void {
  source = new EventSource('/api/v1/events');
  const current = source;
  opened = new Promise<void>((resolve) => {
    current.addEventListener('open', () => resolve(), { once: true });
    setTimeout(resolve, OPEN_WAIT_MS);
  });
  const deliver = (message: MessageEvent<string>) => {
    let event: LiveEvent;
    try {
      event = JSON.parse(message.data) as LiveEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  };
  for (const type of EVENT_TYPES) source.addEventListener(type, deliver as EventListener);
}

/**
 * Calls `listener` with each event until `stop` is called. A view loads its list once `ready`
 * resolves: the stream is then open, so every change after the list was read arrives on it.
 */
export function follow(listener: Listener): { ready: Promise<void>; stop: () => void } {
  listeners.add(listener);
  if (!source) open();
  return { ready: opened, stop: () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      source?.close();
      source = undefined;
    }
  } };
}
