import { accountSchema, accountUpdateSchema } from '../../contract/account.js';
import type { Deps } from '../deps.js';
import { notFound } from '../http/errors.js';
import { route } from '../http/route.js';

export function accountRoutes({ store, present }: Deps) {
  return [
    route({
      method: 'GET',
      path: '/api/v1/account',
      tag: 'account',
      summary: 'Your account and its credits',
      auth: 'merchant',
      responses: { 200: { description: 'The account.', schema: accountSchema }, 401: { description: 'Missing or invalid API key.' } },
      async handle({ auth }) {
        const account = await store.getAccount(auth.accountId);
        if (!account) throw notFound('account');
        return { json: present.account(account) };
      },
    }),

    route({
      method: 'PATCH',
      path: '/api/v1/account',
      tag: 'account',
      summary: 'Your account settings: the origins allowed to frame the verification flow',
      auth: 'merchant',
      body: accountUpdateSchema,
      responses: {
        200: { description: 'The account.', schema: accountSchema },
        400: { description: '`invalid_request`: an entry is not an origin.' },
        401: { description: 'Missing or invalid API key.' },
      },
      async handle({ auth, body }) {
        // One entry once, and `*` alone when present: it already allows every site.
        const origins = body.embedOrigins.includes('*') ? ['*'] : [...new Set(body.embedOrigins)];
        const account = await store.setEmbedOrigins(auth.accountId, origins);
        if (!account) throw notFound('account');
        return { json: present.account(account) };
      },
    }),
  ];
}
