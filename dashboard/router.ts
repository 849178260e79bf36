/**
 * Client-side routes under /dashboard, on the History API: every view has a real URL (reload,
 * bookmarks, the back button and "open in a new tab" work), and the server answers each with the
 * same page.
 */
export type Route =
  | { view: 'login' }
  | { view: 'links' }
  | { view: 'link'; id: string }
  | { view: 'sessions'; link?: string; status?: string }
  | { view: 'session'; id: string }
  | { view: 'account' };

export function parseRoute(location: Location | URL): Route {
  const parts = location.pathname.replace(/\/+$/, '').split('/').slice(2);
  const query = new URLSearchParams(location.search);
  const [section, id] = parts;
  if (section === 'login') return { view: 'login' };
  if (section === 'links' && id) return { view: 'link', id };
  if (section === 'sessions' && id) return { view: 'session', id };
  if (section === 'sessions') {
    return { view: 'sessions', ...(query.get('link') ? { link: query.get('link')! } : {}), ...(query.get('status') ? { status: query.get('status')! } : {}) };
  }
  if (section === 'account') return { view: 'account' };
  return { view: 'links' };
}

export function hrefOf(route: Route): string {
  switch (route.view) {
    case 'login':
      return '/dashboard/login';
    case 'links':
      return '/dashboard';
    case 'link':
      return `/dashboard/links/${route.id}`;
    case 'session':
      return `/dashboard/sessions/${route.id}`;
    case 'account':
      return '/dashboard/account';
    case 'sessions': {
      const query = new URLSearchParams();
      if (route.link) query.set('link', route.link);
      if (route.status) query.set('status', route.status);
      return `/dashboard/sessions${query.size ? `?${query}` : ''}`;
    }
  }
}

/** Go to a route: a new history entry (or a replaced one), and a `vn-navigate` event for the app. */
export function navigate(route: Route | string, options: { replace?: boolean } = {}): void {
  const href = typeof route === 'string' ? route : hrefOf(route);
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  dispatchEvent(new Event('vn-navigate'));
}

/** Plain links inside the app navigate without a page load (middle-click and modifiers keep the browser's way). */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element).closest?.('a[href]') as HTMLAnchorElement | null;
    if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
    if (!anchor.pathname.startsWith('/dashboard')) return;
    event.preventDefault();
    navigate(anchor.pathname + anchor.search);
  });
}
