/**
 * Checks an uploaded capture while it streams past: the type from its first bytes (so a wrong
 * file is refused before the rest is read), its size from the head, and that it is complete from
 * its last bytes. Only the head and the last 16 bytes are kept: 4,100 bytes for the sniff, which
 * hold a PNG's or WebP's size too; a JPEG's head grows up to its frame header, 256 KiB at most.
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
const JPEG_HEAD_MAX_BYTES = 256 * 1024;
const TAIL_BYTES = 16;

const JPEG_END = Buffer.from([0xff, 0xd9]);
const PNG_END = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
const RIFF_HEADER_BYTES = 8;
// The frame headers image-size reads a JPEG's size from (baseline, extended, progressive).
const JPEG_SIZED_FRAMES = new Set([0xc0, 0xc1, 0xc2]);
const JPEG_START_OF_SCAN = 0xda;
// From a frame marker to the end of its width: FF Cn, length (2), precision (1), height (2), width (2).
const JPEG_FRAME_SIZE_END = 9;

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
 *   for await (const piece of body) {
 *     const sniffing = check.push(piece);
 *     if (sniffing) await sniffing; // rejects with 415 as soon as the type is known to be wrong
 *   }
 *   const { contentType, width, height } = await check.finish(); // throws 400 or 422
 */
export class ImageCheck {
  private head = Buffer.allocUnsafe(SNIFF_BYTES);
  private headBytes = 0;
  /** How much of the file the head keeps; raised for a JPEG until its frame header is in. */
  private headLimit = SNIFF_BYTES;
  /** Where the next JPEG marker starts, while the frame header is being looked for. */
  private nextJpegMarker: number | null = null;
  private readonly tail = Buffer.alloc(TAIL_BYTES);
  private totalBytes = 0;
  private contentType: AcceptedImageType | null = null;

  /**
   * Takes the next piece. Returns a promise only for the piece that completes the sniff (await
   * it before pushing more); every other piece is handled synchronously, at no promise's cost.
   */
  push(piece: Uint8Array): Promise<void> | undefined {
    this.totalBytes += piece.length;
    this.keepTail(piece);
    const kept = this.keepHead(piece);
    if (this.contentType || this.headBytes < SNIFF_BYTES) return undefined;
    return this.sniff().then(() => {
      // A JPEG's head goes on past the sniff, starting with the rest of this piece.
      this.keepHead(piece.subarray(kept));
    });
  }

  async finish(): Promise<ImageFacts> {
    if (this.totalBytes === 0) {
      throw new HttpError(400, 'empty_body', 'The upload is empty: send the image bytes as the request body.');
    }
    const contentType = this.contentType ?? (await this.sniff());
    this.assertComplete(contentType);
    return { contentType, ...this.dimensions(contentType) };
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
    if (detected.mime === 'image/jpeg') {
      this.headLimit = JPEG_HEAD_MAX_BYTES;
      this.nextJpegMarker = 2; // after the SOI marker
      this.findJpegFrame();
    }
    return (this.contentType = detected.mime);
  }

  /** Copies what the head still wants from `piece`; returns how many bytes that was. */
  private keepHead(piece: Uint8Array): number {
    const copied = Math.min(this.headLimit - this.headBytes, piece.length);
    if (copied <= 0) return 0;
    if (this.headBytes + copied > this.head.length) {
      // Doubling keeps the copies few; a typical phone JPEG stops well short of the limit.
      const grownBytes = Math.min(this.headLimit, Math.max(2 * this.head.length, this.headBytes + copied));
      const grown = Buffer.allocUnsafe(grownBytes);
      this.head.copy(grown, 0, 0, this.headBytes);
      this.head = grown;
    }
    this.head.set(piece.subarray(0, copied), this.headBytes);
    this.headBytes += copied;
    if (this.nextJpegMarker !== null) this.findJpegFrame();
    return copied;
  }

  /**
   * Walks the JPEG segments that have arrived, as image-size does (each marker followed by its
   * length), and stops the head just after the width of the first frame header image-size reads.
   * Segments that do not chain leave the limit at 256 KiB, where image-size may still find a size.
   */
  private findJpegFrame(): void {
    let marker = this.nextJpegMarker!;
    while (marker + 4 <= this.headBytes) {
      const type = this.head[marker + 1]!;
      const segmentBytes = this.head.readUInt16BE(marker + 2);
      if (this.head[marker] !== 0xff || type === JPEG_START_OF_SCAN || segmentBytes < 2) {
        this.nextJpegMarker = null;
        return;
      }
      if (JPEG_SIZED_FRAMES.has(type)) {
        this.headLimit = Math.min(this.headLimit, marker + JPEG_FRAME_SIZE_END);
        this.nextJpegMarker = null;
        return;
      }
      marker += 2 + segmentBytes;
    }
    this.nextJpegMarker = marker;
  }

  private keepTail(piece: Uint8Array): void {
    if (piece.length >= TAIL_BYTES) {
      this.tail.set(piece.subarray(piece.length - TAIL_BYTES));
    } else {
      this.tail.copyWithin(0, piece.length);
      this.tail.set(piece, TAIL_BYTES - piece.length);
    }
  }

  private assertComplete(contentType: AcceptedImageType): void {
    const tail = this.tail.subarray(TAIL_BYTES - Math.min(TAIL_BYTES, this.totalBytes));
    const endsWith = (end: Buffer) => tail.subarray(-end.length).equals(end);
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

  private dimensions(contentType: AcceptedImageType): Pick<ImageFacts, 'width' | 'height'> {
    try {
      const { width, height } = imageSize(this.head.subarray(0, this.headBytes));
      if (width > 0 && height > 0) return { width, height };
    } catch {
      // Handled below.
    }
    // A PNG or WebP states its size in its first 30 bytes, which the head always holds, and a head
    // holding a whole JPEG holds its frame header: unreadable there means corrupt.
    if (contentType !== 'image/jpeg' || this.headBytes === this.totalBytes) {
      throw invalidImage('its width and height cannot be read');
    }
    // Metadata longer than the head pushed the size out of reach; the image may still be fine.
    return { width: null, height: null };
  }
}
