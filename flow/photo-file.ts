/**
 * A photo the applicant chose instead of using the live camera. The server takes JPEG, PNG and
 * WebP; phones also hand over HEIC and other formats the browser can decode, which we re-encode
 * as JPEG here rather than refuse.
 */
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'];
/** The server's default MAX_UPLOAD_BYTES: a larger photo would only be refused after the wait. */
export const MAX_PHOTO_BYTES = 12 * 1024 * 1024;

export class UploadProblem extends Error {
  constructor(readonly reason: 'fileNotImage' | 'fileTooLarge') {
    super(reason);
    this.name = 'UploadProblem';
  }
}

export async function normaliseUpload(file: File): Promise<Blob> {
  if (ACCEPTED.includes(file.type)) {
    // The browser's type is only the name's extension: a renamed text file would pass here and be
    // refused by the server after the review, with nothing the applicant could do but start over.
    if (!(await startsLikeAcceptedImage(file))) throw new UploadProblem('fileNotImage');
    if (file.size > MAX_PHOTO_BYTES) throw new UploadProblem('fileTooLarge');
    return file;
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new UploadProblem('fileNotImage');
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  bitmap.close();
  const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  if (jpeg.size > MAX_PHOTO_BYTES) throw new UploadProblem('fileTooLarge');
  return jpeg;
}

/** JPEG, PNG or WebP by the first bytes, as the server sniffs them. */
async function startsLikeAcceptedImage(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  return (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    || ascii(0, 8) === '\x89PNG\r\n\x1a\n'
    || (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP');
}
