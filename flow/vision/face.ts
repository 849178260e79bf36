/**
 * Faces in a frame, with MediaPipe's FaceDetector (BlazeFace short range) on the CPU. Runs inside a
 * module Web Worker; every file it loads comes from our own origin (see VisionAssets).
 *
 * @example
 * const faces = await createFaceFinder(visionAssets);
 * const [best] = faces.detect(bitmap, frame.timestamp); // highest score first
 */
import { FaceDetector, type Detection } from '@mediapipe/tasks-vision';
import type { FaceBox, VisionAssets } from './types.js';

export interface FaceFinderOptions {
  /** Below this score a detection is dropped: 0.6 keeps the ID card's red watermark (≈ 0.53) out. */
  minConfidence?: number;
}

export interface FaceFinder {
  /** Faces in the image, best first; coordinates are fractions of the image's width and height. */
  detect(image: ImageBitmap | OffscreenCanvas | ImageData, timestampMs?: number): FaceBox[];
  close(): void;
}

export async function createFaceFinder(assets: VisionAssets, options: FaceFinderOptions = {}): Promise<FaceFinder> {
  await provideModuleFactory(assets.wasmLoaderUrl);
  const detector = await FaceDetector.createFromOptions(
    // A fileset of our own URLs instead of FilesetResolver, which would probe for SIMD and build
    // names from a directory; the "module" build is the one whose loader a module worker can import().
    { wasmLoaderPath: assets.wasmLoaderUrl, wasmBinaryPath: assets.wasmBinaryUrl },
    {
      // The GPU delegate was ≈ 7× slower in headless Chromium without a GPU, and phones vary.
      baseOptions: { modelAssetPath: assets.modelUrl, delegate: 'CPU' },
      runningMode: 'VIDEO',
      minDetectionConfidence: options.minConfidence ?? 0.6,
    },
  );
  let lastTimestampMs = -Infinity;

  return {
    detect(image, timestampMs = performance.now()) {
      // VIDEO mode throws on a timestamp that does not increase (two frames in one millisecond, or
      // a caller switching clocks): nudge it forward instead of losing the frame.
      lastTimestampMs = Math.max(timestampMs, lastTimestampMs + 1);
      const { detections } = detector.detectForVideo(image, lastTimestampMs);
      return detections
        .map((detection) => toFaceBox(detection, image.width, image.height))
        .sort((a, b) => b.score - a.score);
    },
    close() {
      detector.close();
    },
  };
}

/**
 * MediaPipe loads its wasm loader with import() in a module worker, then expects the global
 * `ModuleFactory` the loader sets when it runs, and clears it once used. A second import() of the
 * same URL does not run the module again, so a second finder in the same worker would fail with
 * "ModuleFactory not set": we hand MediaPipe the loader's default export ourselves.
 */
async function provideModuleFactory(wasmLoaderUrl: string): Promise<void> {
  const loader = (await import(/* @vite-ignore */ wasmLoaderUrl)) as { default: unknown };
  (globalThis as { ModuleFactory?: unknown }).ModuleFactory = loader.default;
}

function toFaceBox({ boundingBox, categories, keypoints }: Detection, width: number, height: number): FaceBox {
  const box = boundingBox ?? { originX: 0, originY: 0, width: 0, height: 0 };
  return {
    x: box.originX / width,
    y: box.originY / height,
    width: box.width / width,
    height: box.height / height,
    score: categories[0]?.score ?? 0,
    // MediaPipe already gives keypoints as fractions of the image.
    keypoints: keypoints.map(({ x, y }) => ({ x, y })),
  };
}
