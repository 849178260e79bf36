/**
 * Chunked authenticated encryption for capture files (ID photos, selfies): the STREAM
 * construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015) over AES-256-GCM, so a file of any
 * size is encrypted and decrypted in bounded memory, and no plaintext leaves `decryptChunks`
 * before its tag has been checked.
 *
 * File layout:
 *   "VNC1" (4 bytes) | salt (16 bytes) | chunk 0 | chunk 1 | … | last chunk
 * Each chunk is the GCM ciphertext of 64 KiB of plaintext (the last one shorter, and empty only
 * when the whole plaintext is) followed by its 16-byte tag. The nonce of chunk i is the 11-byte
 * big-endian counter i and one byte that is 1 on the last chunk only: dropping, reordering or
 * appending chunks changes some nonce and fails authentication. Every chunk also authenticates
 * the caller's `aad` (the server uses `${sessionId}/${kind}`), so a file copied onto another
 * row does not decrypt there.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const MAGIC = Buffer.from('VNC1', 'latin1');
const SALT_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES;
const KEY_BYTES = 32;
const TAG_BYTES = 16;
const KEY_INFO = 'verify-now capture v1';

export const PLAIN_CHUNK_BYTES = 64 * 1024;
export const STORED_CHUNK_BYTES = PLAIN_CHUNK_BYTES + TAG_BYTES;

/** The file failed authentication or is not a capture file: tampered, truncated, wrong key or aad. */
export class CorruptCaptureError extends Error {
  override readonly name = 'CorruptCaptureError';
}

function deriveFileKey(masterKey: Buffer, salt: Buffer): Buffer {
  if (masterKey.length !== KEY_BYTES) {
    throw new RangeError(`The capture master key must be ${KEY_BYTES} bytes, got ${masterKey.length}.`);
  }
  return Buffer.from(hkdfSync('sha256', masterKey, salt, KEY_INFO, KEY_BYTES));
}

function chunkNonce(index: number, isLast: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  // Bytes 0–10 hold the counter; 64 bits of it (bytes 3–10) are more than any upload needs.
  nonce.writeBigUInt64BE(BigInt(index), 3);
  nonce[11] = isLast ? 1 : 0;
  return nonce;
}

/**
 * Encrypts a stream of plaintext pieces. Every buffer returned by `push` and `finish` is to be
 * appended to the file in order; the first one starts with the header. `push` hands out each
 * chunk's ciphertext and tag as separate buffers, meant for one `writev`, rather than copying
 * them together.
 *
 * @example
 *   const encryptor = new CaptureEncryptor(masterKey, `${sessionId}/selfie`);
 *   for await (const piece of body) await file.writev(encryptor.push(piece));
 *   await file.write(encryptor.finish());
 */
export class CaptureEncryptor {
  private readonly key: Buffer;
  private readonly aad: Buffer;
  private header: Buffer | null;
  private readonly pending = Buffer.allocUnsafe(PLAIN_CHUNK_BYTES);
  private pendingBytes = 0;
  private nextIndex = 0;
  private isFinished = false;

  constructor(masterKey: Buffer, aad: string, salt: Buffer = randomBytes(SALT_BYTES)) {
    if (salt.length !== SALT_BYTES) throw new RangeError(`The salt must be ${SALT_BYTES} bytes.`);
    this.key = deriveFileKey(masterKey, salt);
    this.aad = Buffer.from(aad, 'utf8');
    this.header = Buffer.concat([MAGIC, salt]);
  }

  /**
   * Takes more plaintext and returns the chunks it completes. Nothing of `plain` is referenced
   * after the call, so the caller may reuse its buffer.
   */
  push(plain: Uint8Array): Buffer[] {
    this.assertOpen();
    const sealed: Buffer[] = [];
    let offset = 0;
    while (offset < plain.length) {
      // A full chunk is sealed only once more bytes arrive: until then it may be the last one.
      if (this.pendingBytes === PLAIN_CHUNK_BYTES) {
        this.seal(this.pending, false, sealed);
        this.pendingBytes = 0;
      }
      if (this.pendingBytes === 0 && plain.length - offset > PLAIN_CHUNK_BYTES) {
        // More bytes follow in this very piece, so this chunk is not the last: seal it in place.
        this.seal(plain.subarray(offset, offset + PLAIN_CHUNK_BYTES), false, sealed);
        offset += PLAIN_CHUNK_BYTES;
        continue;
      }
      const copied = Math.min(PLAIN_CHUNK_BYTES - this.pendingBytes, plain.length - offset);
      this.pending.set(plain.subarray(offset, offset + copied), this.pendingBytes);
      this.pendingBytes += copied;
      offset += copied;
    }
    return sealed;
  }

  /** Seals what is left as the last chunk, in one buffer (at most one chunk, so the copy is small). */
  finish(): Buffer {
    this.assertOpen();
    this.isFinished = true;
    const sealed: Buffer[] = [];
    this.seal(this.pending.subarray(0, this.pendingBytes), true, sealed);
    return Buffer.concat(sealed);
  }

  /** Appends the chunk's stored bytes to `out`: the header if not yet given out, ciphertext, tag. */
  private seal(plain: Uint8Array, isLast: boolean, out: Buffer[]): void {
    const cipher = createCipheriv('aes-256-gcm', this.key, chunkNonce(this.nextIndex++, isLast));
    cipher.setAAD(this.aad);
    if (this.header) {
      out.push(this.header);
      this.header = null;
    }
    out.push(cipher.update(plain));
    const rest = cipher.final(); // empty for GCM, which holds nothing back
    if (rest.length > 0) out.push(rest);
    out.push(cipher.getAuthTag());
  }

  private assertOpen(): void {
    if (this.isFinished) throw new Error('CaptureEncryptor used after finish().');
  }
}

function openChunk(key: Buffer, aad: Buffer, index: number, isLast: boolean, stored: Buffer): Buffer {
  if (stored.length < TAG_BYTES) throw new CorruptCaptureError('The capture file is truncated.');
  const decipher = createDecipheriv('aes-256-gcm', key, chunkNonce(index, isLast));
  decipher.setAAD(aad);
  decipher.setAuthTag(stored.subarray(stored.length - TAG_BYTES));
  const plain = decipher.update(stored.subarray(0, stored.length - TAG_BYTES));
  try {
    return Buffer.concat([plain, decipher.final()]);
  } catch {
    throw new CorruptCaptureError(
      `Capture chunk ${index} failed authentication (tampered, truncated, or wrong key or aad).`,
    );
  }
}

/**
 * Decrypts a capture file read as a stream of pieces of any size. Yields each chunk's plaintext
 * only after its tag verified; throws `CorruptCaptureError` on a bad header or tag, a missing
 * last chunk, or bytes after it.
 */
export async function* decryptChunks(
  source: AsyncIterable<Uint8Array>,
  masterKey: Buffer,
  aad: string,
): AsyncGenerator<Buffer, void, undefined> {
  const aadBytes = Buffer.from(aad, 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  let headerBytes = 0;
  let key: Buffer | null = null;
  const stored = Buffer.allocUnsafe(STORED_CHUNK_BYTES);
  let storedBytes = 0;
  let index = 0;

  for await (const piece of source) {
    let offset = 0;
    if (!key) {
      offset = Math.min(HEADER_BYTES - headerBytes, piece.length);
      header.set(piece.subarray(0, offset), headerBytes);
      headerBytes += offset;
      if (headerBytes < HEADER_BYTES) continue;
      if (!header.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new CorruptCaptureError('Not a capture file (bad magic).');
      }
      key = deriveFileKey(masterKey, header.subarray(MAGIC.length));
    }
    while (offset < piece.length) {
      if (storedBytes === STORED_CHUNK_BYTES) {
        yield openChunk(key, aadBytes, index++, false, stored);
        storedBytes = 0;
      }
      const copied = Math.min(STORED_CHUNK_BYTES - storedBytes, piece.length - offset);
      stored.set(piece.subarray(offset, offset + copied), storedBytes);
      storedBytes += copied;
      offset += copied;
    }
  }
  if (!key) throw new CorruptCaptureError('The capture file is shorter than its header.');
  yield openChunk(key, aadBytes, index, true, stored.subarray(0, storedBytes));
}
