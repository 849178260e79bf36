import { ID_PREFIXES, type Mode } from '../contract/common.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import { hashPassword } from './passwords.js';
import type { ApiKeyRow, Store } from './store/store.js';
import { apiKeyMode, hashApiKey, newApiKey } from './tokens.js';

/** Account administration shared by the admin CLI and the bootstrap variables. */

export async function createAccount(store: Store, clock: Clock, name: string, credits: number) {
  return store.createAccount({ id: newId(ID_PREFIXES.account), name, credits, now: clock.now() });
}

/** A new API key and its row; the plain key exists only in the return value, shown once. */
export async function issueApiKey(store: Store, clock: Clock, accountId: string, mode: Mode): Promise<{ key: string; row: ApiKeyRow }> {
  const { key, hash, prefix } = newApiKey(mode);
  const row: ApiKeyRow = { id: newId(ID_PREFIXES.apiKey), accountId, mode, keyHash: hash, prefix, createdAt: clock.now(), revokedAt: null };
  await store.createApiKey(row);
  return { key, row };
}

export async function createApiKey(store: Store, clock: Clock, accountId: string, mode: Mode): Promise<string> {
  return (await issueApiKey(store, clock, accountId, mode)).key;
}

export async function createUser(store: Store, clock: Clock, accountId: string, email: string, password: string) {
  await store.createUser({
    id: newId(ID_PREFIXES.user),
    accountId,
    email: email.toLowerCase(),
    passwordHash: await hashPassword(password),
    createdAt: clock.now(),
  });
}

export interface Bootstrap {
  apiKey?: string | undefined;
  credits: number;
  adminEmail?: string | undefined;
  adminPassword?: string | undefined;
}

/**
 * BOOTSTRAP_API_KEY: make sure an account with exactly that key exists (once: a restart with the
 * same variables changes nothing, so credits are not topped up again).
 */
export async function applyBootstrap(store: Store, clock: Clock, bootstrap: Bootstrap): Promise<string | undefined> {
  if (!bootstrap.apiKey) return undefined;
  const mode = apiKeyMode(bootstrap.apiKey);
  if (!mode) throw new Error('BOOTSTRAP_API_KEY must look like vn_live_… or vn_test_… (20 or more letters, digits, - or _ after the prefix).');
  const hash = hashApiKey(bootstrap.apiKey);
  let accountId = (await store.findApiKey(hash))?.accountId;
  if (!accountId) {
    try {
      accountId = (await createAccount(store, clock, 'Bootstrap account', bootstrap.credits)).id;
      await store.createApiKey({
        id: newId(ID_PREFIXES.apiKey),
        accountId,
        mode,
        keyHash: hash,
        prefix: bootstrap.apiKey.slice(0, 12),
        createdAt: clock.now(),
        revokedAt: null,
      });
    } catch (error) {
      // Several processes starting at once on one database: the key is unique, one of them made it
      // (the others' accounts stay behind with no key and no user: nothing can reach them).
      accountId = (await store.findApiKey(hash))?.accountId;
      if (!accountId) throw error;
    }
  }
  const email = bootstrap.adminEmail?.toLowerCase();
  if (email && bootstrap.adminPassword && !(await store.findUserByEmail(email))) {
    try {
      await createUser(store, clock, accountId, email, bootstrap.adminPassword);
    } catch (error) {
      if (!(await store.findUserByEmail(email))) throw error;
    }
  }
  return accountId;
}
