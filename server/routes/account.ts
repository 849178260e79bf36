import { accountSchema } from '../../contract/account.js';
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
  ];
}
