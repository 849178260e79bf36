import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

export const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads a JSON body, refusing early what we would never accept: another content type, a declared
 * length past the limit, and (while streaming) more bytes than the limit. Plain 'data'/'end'
 * listeners: an async iterator costs several promises per request on the hottest path.
 */
export function readJson(req: IncomingMessage, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  const type = req.headers['content-type'];
  const declared = Number(req.headers['content-length'] ?? NaN);
  const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return Promise.resolve(undefined);
  if (!type || !/^application\/json\s*(;|$)/i.test(type)) {
    return Promise.reject(new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.'));
  }
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      cleanup();
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(400, 'invalid_json', 'The body is not valid JSON.'));
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      if (!req.complete) onError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    };
    const cleanup = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

const tooLarge = (maxBytes: number) =>
  new HttpError(413, 'payload_too_large', `The body is larger than the ${maxBytes} bytes this endpoint accepts.`);
