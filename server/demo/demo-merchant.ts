import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createAccount, createApiKey } from '../accounts.js';
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import { hashApiKey } from '../tokens.js';

/** The demo's pretend merchant: an account of its own and a `vn_test_` key, so nothing it does is billed. */
export interface DemoMerchant {
  accountId: string;
  apiKey: string;
}

const savedSchema = z.object({ accountId: z.string(), apiKey: z.string().startsWith('vn_test_') });

/**
 * The demo merchant, made on first use and remembered in DATA_DIR/demo-merchant.json (owner-only,
 * like secret.key): a restart keeps the same account, so its links keep working. Its only allowed
 * embedding origin is the demo site's.
 */
export async function ensureDemoMerchant(store: Store, clock: Clock, dataDir: string, demoOrigin: string): Promise<DemoMerchant> {
  const file = join(dataDir, 'demo-merchant.json');
  let merchant = readSaved(file);
  if (!merchant || (await store.findApiKey(hashApiKey(merchant.apiKey)))?.accountId !== merchant.accountId) {
    const account = await createAccount(store, clock, 'Demo shop', 0);
    merchant = { accountId: account.id, apiKey: await createApiKey(store, clock, account.id, 'test') };
    writeFileSync(file, JSON.stringify(merchant) + '\n', { mode: 0o600 });
  }
  const account = await store.getAccount(merchant.accountId);
  if (account && (account.embedOrigins.length !== 1 || account.embedOrigins[0] !== demoOrigin)) {
    await store.setEmbedOrigins(merchant.accountId, [demoOrigin]);
  }
  return merchant;
}

function readSaved(file: string): DemoMerchant | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = savedSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // unreadable: a new demo merchant replaces it
  }
}
