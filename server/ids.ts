import { randomBytes } from 'node:crypto';

/** A public id: type prefix + 16 random bytes in base64url (22 characters). */
export function newId(prefix: string, random: (n: number) => Buffer = randomBytes): string {
  return prefix + random(16).toString('base64url');
}
