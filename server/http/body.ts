import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

export const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads a JSON body, refusing early what we would never accept: another content type, a declared
 * length past the limit, and (while streaming) more bytes than the limit.
 */
export async function readJson(req: IncomingMessage, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? NaN);
  const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return undefined;
  if (type !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
  }
}

const tooLarge = (maxBytes: number) =>
  new HttpError(413, 'payload_too_large', `The body is larger than the ${maxBytes} bytes this endpoint accepts.`);
