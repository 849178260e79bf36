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
