/**
 * The fake camera of the flow benchmarks: the specimen card on the table, too far away to be taken.
 * Detection then runs its whole document path on every frame (card found, portrait searched in
 * it) while the guidance says "move closer", so the capture step never auto-captures and a
 * measurement window of any length sees detection running, as an applicant lining up the card does.
 */
import { join } from 'node:path';
import { cameraFile, documentScene, type RgbaImage } from '../test/support/fake-camera.js';

/** The card's width as a share of the frame's: its fill stays under the flow's 25% minimum. */
export const SMALL_CARD_WIDTH_SHARE = 0.45;
/** A phone camera's frame rate, so the page decodes and paints video as it would. */
const CAMERA_FPS = 30;

export function smallCardScene(): RgbaImage {
  return documentScene({ widthShare: SMALL_CARD_WIDTH_SHARE }).image;
}

/** Writes the camera (one second of sensor-noisy frames, looped by Chromium) into `dir`. */
export function benchCameraFile(dir: string): string {
  return cameraFile(join(dir, 'bench-camera.y4m'), [{ image: smallCardScene(), seconds: 1 }], CAMERA_FPS);
}
