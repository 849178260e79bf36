/**
 * Checks an uploaded capture while it streams past: the type from its first bytes (so a wrong
 * file is refused before the rest is read), its size from the head, and that it is complete from
 * its last bytes. Only the head (at most 256 KiB) and the last 16 bytes are kept.
 */
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { HttpError } from '../http/errors.js';

export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];

export interface ImageFacts {
  contentType: AcceptedImageType;
  width: number | null;
  height: number | null;
}

// file-type's own "reasonable detection size": enough for every format it knows.
const SNIFF_BYTES = 4100;
// A JPEG's size (SOF marker) comes after its EXIF, ICC and XMP segments, which can be large.
const HEAD_BYTES = 256 * 1024;
const TAIL_BYTES = 16;

const JPEG_END = Buffer.from([0xff, 0xd9]);
const PNG_END = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
const RIFF_HEADER_BYTES = 8;

const isAccepted = (mime: string): mime is AcceptedImageType =>
  (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(mime);

const invalidImage = (why: string) =>
  new HttpError(
    422,
    'invalid_image',
    `The image is truncated or corrupt (${why}). Please take or upload it again.`,
  );

/**
 * @example
 *   const check = new ImageCheck();
 *   for await (const piece of body) await check.push(piece); // throws 415 early
 *   const { contentType, width, height } = await check.finish(); // throws 400 or 422
 */
export class ImageCheck {
  private readonly head = Buffer.allocUnsafe(HEAD_BYTES);
  private headBytes = 0;
  private tail = Buffer.alloc(0);
  private totalBytes = 0;
  private contentType: AcceptedImageType | null = null;

  async push(piece: Uint8Array): Promise<void> {
    if (this.headBytes < HEAD_BYTES) {
      const copied = Math.min(HEAD_BYTES - this.headBytes, piece.length);
      this.head.set(piece.subarray(0, copied), this.headBytes);
      this.headBytes += copied;
    }
    this.tail = Buffer.concat([this.tail, piece.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES);
    this.totalBytes += piece.length;
    if (!this.contentType && this.headBytes >= SNIFF_BYTES) await this.sniff();
  }

  async finish(): Promise<ImageFacts> {
    if (this.totalBytes === 0) {
      throw new HttpError(400, 'empty_body', 'The upload is empty: send the image bytes as the request body.');
    }
    const contentType = this.contentType ?? (await this.sniff());
    this.assertComplete(contentType);
    return { contentType, ...this.dimensions() };
  }

  private async sniff(): Promise<AcceptedImageType> {
    const detected = await fileTypeFromBuffer(this.head.subarray(0, this.headBytes));
    if (!detected || !isAccepted(detected.mime)) {
      const what = detected ? `this file is ${detected.mime}` : 'this file is not a recognised image';
      throw new HttpError(
        415,
        'unsupported_image_type',
        `Only image/jpeg, image/png and image/webp are accepted; ${what}.`,
      );
    }
    return (this.contentType = detected.mime);
  }

  private assertComplete(contentType: AcceptedImageType): void {
    const endsWith = (end: Buffer) => this.tail.subarray(-end.length).equals(end);
    switch (contentType) {
      case 'image/jpeg':
        if (!endsWith(JPEG_END)) throw invalidImage('the JPEG has no end marker');
        return;
      case 'image/png':
        if (!endsWith(PNG_END)) throw invalidImage('the PNG has no IEND chunk');
        return;
      case 'image/webp': {
        const riffSize = this.headBytes >= RIFF_HEADER_BYTES ? this.head.readUInt32LE(4) : -1;
        if (riffSize !== this.totalBytes - RIFF_HEADER_BYTES) {
          throw invalidImage('the WebP is shorter or longer than its RIFF header says');
        }
        return;
      }
    }
  }

  private dimensions(): Pick<ImageFacts, 'width' | 'height'> {
    const isWholeFileInHead = this.headBytes === this.totalBytes;
    try {
      const { width, height } = imageSize(this.head.subarray(0, this.headBytes));
      if (width > 0 && height > 0) return { width, height };
    } catch {
      // Handled below: unreadable from a head that holds the whole file means corrupt.
    }
    if (isWholeFileInHead) throw invalidImage('its width and height cannot be read');
    // Metadata longer than the head pushed the size out of reach; the image may still be fine.
    return { width: null, height: null };
  }
}
