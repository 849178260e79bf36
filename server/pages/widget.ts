import { join } from 'node:path';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { route } from '../http/route.js';
import { preferredCopy } from './assets.js';

/**
 * Merchants' pages load the widget from here, cross-origin, by a name that never changes: so a
 * short cache (a fix reaches every page within minutes) rather than the hashed assets' year.
 */
const WIDGET_HEADERS = {
  'cache-control': 'public, max-age=300',
  'access-control-allow-origin': '*',
  // A classic <script src> is a no-cors load: the pages' default `same-site` would block other sites.
  'cross-origin-resource-policy': 'cross-origin',
};

/** The <verify-now> loader: the ES module, the classic script, and their source maps. */
export function widgetRoutes({ webRoot }: Deps) {
  return [
    route({
      method: 'GET',
      path: '/widget/:file',
      tag: 'pages',
      summary: 'The <verify-now> widget script (stable URL, cached 5 minutes)',
      auth: 'public',
      hidden: true,
      params: z.object({ file: z.enum(['verify-now.js', 'verify-now.classic.js', 'verify-now.js.map', 'verify-now.classic.js.map']) }),
      responses: { 200: { description: 'The script.' } },
      async handle({ params, req }) {
        return preferredCopy(join(webRoot, 'widget', params.file), req.headers['accept-encoding'], WIDGET_HEADERS);
      },
    }),
  ];
}
