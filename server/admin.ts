import { parseArgs } from 'node:util';
import { createAccount, createApiKey, createUser } from './accounts.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { createPresenter } from './present.js';
import { deriveKeys, loadSecret } from './secrets.js';
import { openStore } from './store/open-store.js';
import { mkdirSync } from 'node:fs';

const USAGE = `verify-now admin — works on the store in DATA_DIR (the server may keep running)

  npm run admin -- create-account --name "My shop" [--credits 100]
  npm run admin -- create-api-key --account acc_… [--mode live|test]
  npm run admin -- add-credits --account acc_… --credits 50
  npm run admin -- create-user --account acc_… --email you@example.com --password '…'
  npm run admin -- show-account --account acc_…
`;

class UsageError extends Error {}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`missing --${flag}`);
  return value;
}

function count(value: string | undefined, flag: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(need(value, flag));
  if (!Number.isInteger(n) || n < 0 || n > 1e9) throw new UsageError(`--${flag} must be a whole number from 0`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  // Everything this process writes under DATA_DIR (database, captures, secret) is for its user only.
  process.umask(0o077);
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      credits: { type: 'string' },
      account: { type: 'string' },
      mode: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (!command || values.help) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const keys = deriveKeys(loadSecret(config.dataDir, config.secretKey).secret);
  const store = await openStore(config.database, createPresenter(() => config.publicUrl ?? '', keys.linkToken));
  const clock = systemClock;
  const accountOf = async (id: string) => {
    const account = await store.getAccount(id);
    if (!account) throw new UsageError(`no account ${id}`);
    return account;
  };
  const show = (a: { id: string; name: string; creditsAvailable: number; creditsHeld: number }) =>
    console.log(`${a.id}  ${a.name}  credits: ${a.creditsAvailable} available, ${a.creditsHeld} held`);
  try {
    switch (command) {
      case 'create-account': {
        const account = await createAccount(store, clock, need(values.name, 'name').trim(), count(values.credits, 'credits', 0));
        show(account);
        console.log(`next: npm run admin -- create-api-key --account ${account.id}`);
        return 0;
      }
      case 'create-api-key': {
        const account = await accountOf(need(values.account, 'account'));
        const mode = values.mode ?? 'live';
        if (mode !== 'live' && mode !== 'test') throw new UsageError('--mode must be live or test');
        const key = await createApiKey(store, clock, account.id, mode);
        console.log(key);
        console.error('This key is shown once and stored only as a hash: keep it somewhere safe.');
        return 0;
      }
      case 'add-credits': {
        const account = await accountOf(need(values.account, 'account'));
        show((await store.addCredits(account.id, count(values.credits, 'credits')))!);
        return 0;
      }
      case 'create-user': {
        const account = await accountOf(need(values.account, 'account'));
        const password = need(values.password, 'password');
        if (password.length < 10) throw new UsageError('--password must have at least 10 characters');
        await createUser(store, clock, account.id, need(values.email, 'email'), password);
        console.log(`user created for ${account.id}`);
        return 0;
      }
      case 'show-account':
        show(await accountOf(need(values.account, 'account')));
        return 0;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : `admin: ${(error as Error).message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
