/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { detectDocumentQuad, ID1_ASPECT, PASSPORT_PAGE_ASPECT } from '../../flow/vision/document.js';
import { toGray } from '../../flow/vision/gray-image.js';
import { measureQuality } from '../../flow/vision/quality.js';
import {
  blurred,
  cardScene,
  clutterBackground,
  cornerError,
  darkened,
  gradientBackground,
  loadImageData,
  photoBackground,
  plainBackground,
  resized,
  jpegRoundTrip,
  withGlare,
  withNoise,
  withRoundedCorners,
  withShadow,
  withThumb,
  woodBackground,
  type CardPose,
} from './synthetic-scenes.js';

const WIDTH = 640;
const HEIGHT = 480;
/** "Within a few pixels" at 640×480: the outline over the video and the perspective crop both tolerate this. */
const MAX_CORNER_ERROR_PX = 3;
/** Sensor noise added to every scene (± grey levels per channel), as a webcam in room light. */
const NOISE = 4;

const POSES: Record<string, CardPose> = {
  frontal: { centreX: 0.5, centreY: 0.5, widthShare: 0.7 },
  'rotated 20°': { centreX: 0.5, centreY: 0.5, widthShare: 0.6, rollDegrees: 20 },
  'rotated −30°': { centreX: 0.52, centreY: 0.48, widthShare: 0.55, rollDegrees: -30 },
  'tilted 25° back': { centreX: 0.5, centreY: 0.5, widthShare: 0.7, pitchDegrees: 25 },
  'turned 25° and tilted 15°': { centreX: 0.48, centreY: 0.52, widthShare: 0.65, yawDegrees: 25, pitchDegrees: -15, rollDegrees: 5 },
  'small, off-centre': { centreX: 0.35, centreY: 0.4, widthShare: 0.3, rollDegrees: 8 },
  'large, close to the edges': { centreX: 0.5, centreY: 0.5, widthShare: 0.9, pitchDegrees: 8 },
};

const BACKGROUNDS = ['a plain dark desk', 'a lit gradient', 'a cluttered, noisy surface', 'the cat photo'] as const;
type BackgroundName = (typeof BACKGROUNDS)[number];

describe('detectDocumentQuad', () => {
  let card: ImageData;
  let cat: ImageData;
  let astronaut: ImageData;
  let backgrounds: Record<BackgroundName, ImageData>;

  before(async () => {
    card = withRoundedCorners(await loadImageData('/test/fixtures/id-card-specimen.png'));
    cat = await loadImageData('/test/fixtures/chelsea.png');
    astronaut = await loadImageData('/test/fixtures/astronaut.png');
    backgrounds = {
      // Dark enough that the card's navy header band has almost the desk's luma: only colour separates them.
      'a plain dark desk': plainBackground(WIDTH, HEIGHT, [70, 62, 58]),
      'a lit gradient': gradientBackground(WIDTH, HEIGHT, [40, 50, 60], [170, 160, 140]),
      'a cluttered, noisy surface': clutterBackground(WIDTH, HEIGHT, 7),
      'the cat photo': photoBackground(cat, WIDTH, HEIGHT),
    };
  });

  function detect(image: ImageData, aspect = ID1_ASPECT) {
    const frame = withNoise(image, NOISE, 11);
    return detectDocumentQuad(toGray(frame), { aspect, rgba: frame });
  }

  for (const backgroundName of BACKGROUNDS) {
    for (const [poseName, pose] of Object.entries(POSES)) {
      it(`finds the corners of a ${poseName} card on ${backgroundName} within ${MAX_CORNER_ERROR_PX} px`, () => {
        const scene = cardScene(backgrounds[backgroundName], card, pose);
        const found = detect(scene.image);
        expect(found, 'a document').to.not.equal(null);
        const error = cornerError(found!.quad, scene.truth, WIDTH, HEIGHT);
        console.log(`${poseName} on ${backgroundName}: worst corner ${error.toFixed(2)} px, score ${found!.score.toFixed(2)}, fill ${found!.fill.toFixed(2)}`);
        expect(error).to.be.below(MAX_CORNER_ERROR_PX);
      });
    }
  }

  it('finds the card from luma alone when no colour is given, on a background of different brightness', () => {
    const scene = cardScene(backgrounds['a cluttered, noisy surface'], card, POSES['turned 25° and tilted 15°']!);
    const found = detectDocumentQuad(toGray(withNoise(scene.image, NOISE, 3)), { aspect: ID1_ASPECT });
    expect(found).to.not.equal(null);
    expect(cornerError(found!.quad, scene.truth, WIDTH, HEIGHT)).to.be.below(MAX_CORNER_ERROR_PX);
  });

  describe('still finds the card in a poor frame, so the guidance can say what is wrong', () => {
    const pose: CardPose = { centreX: 0.5, centreY: 0.5, widthShare: 0.65, yawDegrees: 15, rollDegrees: 6 };
    const poorFrames: Record<string, (image: ImageData) => ImageData | Promise<ImageData>> = {
      'out of focus (σ ≈ 2.4 px)': (image) => blurred(image, 2),
      'underexposed (a third of the light)': (image) => darkened(image, 0.35),
      'with glare across an edge': (image) => withGlare(image, { x: 0.5, y: 0.27 }, 0.09, 0.05),
      'held by a thumb over its bottom edge': (image) => withThumb(image, { x: 0.45, y: 0.76 }, 0.05, 0.08),
      'half in a shadow': (image) => withShadow(image),
      'compressed (JPEG at quality 0.5)': (image) => jpegRoundTrip(image, 0.5),
      'noisy (±12 grey levels)': (image) => withNoise(image, 12, 9),
    };
    for (const [name, spoil] of Object.entries(poorFrames)) {
      it(name, async () => {
        const scene = cardScene(backgrounds['the cat photo'], card, pose);
        const found = detect(await spoil(scene.image));
        expect(found).to.not.equal(null);
        const error = cornerError(found!.quad, scene.truth, WIDTH, HEIGHT);
        console.log(`${name}: worst corner ${error.toFixed(2)} px`);
        expect(error).to.be.below(MAX_CORNER_ERROR_PX);
      });
    }
  });

  for (const [surface, colour] of [
    ['white paper', [240, 240, 235]],
    ['a light wooden table', [200, 180, 150]],
  ] as const) {
    it(`finds a light card on ${surface} (low contrast at its edges)`, () => {
      const scene = cardScene(plainBackground(WIDTH, HEIGHT, [...colour]), card, POSES['rotated 20°']!);
      const found = detect(scene.image);
      expect(found).to.not.equal(null);
      expect(cornerError(found!.quad, scene.truth, WIDTH, HEIGHT)).to.be.below(MAX_CORNER_ERROR_PX);
    });
  }

  for (const rollDegrees of [-7, -3, 2]) {
    it(`finds a card turned ${rollDegrees}° on a wooden table (grain running alongside its top and bottom)`, () => {
      const scene = cardScene(woodBackground(WIDTH, HEIGHT, 4), card, { centreX: 0.5, centreY: 0.5, widthShare: 0.62, rollDegrees, pitchDegrees: 14, yawDegrees: 6 });
      const found = detect(scene.image);
      expect(found).to.not.equal(null);
      expect(cornerError(found!.quad, scene.truth, WIDTH, HEIGHT)).to.be.below(MAX_CORNER_ERROR_PX);
    });
  }

  it('finds the corners in a 1280×720 frame within 2 × the 640×480 tolerance', () => {
    const background = photoBackground(cat, 1280, 720);
    const scene = cardScene(background, card, POSES['turned 25° and tilted 15°']!);
    const frame = withNoise(scene.image, NOISE, 5);
    const found = detectDocumentQuad(toGray(frame), { aspect: ID1_ASPECT, rgba: frame });
    expect(found).to.not.equal(null);
    expect(cornerError(found!.quad, scene.truth, 1280, 720)).to.be.below(2 * MAX_CORNER_ERROR_PX);
  });

  it('reports the share of the frame the card covers', () => {
    const scene = cardScene(backgrounds['a lit gradient'], card, POSES.frontal!);
    const found = detect(scene.image)!;
    // 0.7 of the width, at ID-1 proportions, in a 4:3 frame.
    const expected = (0.7 * 0.7 * WIDTH * WIDTH) / ID1_ASPECT / (WIDTH * HEIGHT);
    expect(found.fill).to.be.closeTo(expected, 0.01);
  });

  describe('finds nothing where there is no document', () => {
    const scenes: Record<string, () => ImageData> = {
      'the cat photo': () => photoBackground(cat, WIDTH, HEIGHT),
      'a face (the astronaut photo)': () => photoBackground(astronaut, WIDTH, HEIGHT),
      'a plain wall': () => plainBackground(WIDTH, HEIGHT, [214, 208, 196]),
      'a gradient': () => gradientBackground(WIDTH, HEIGHT, [30, 30, 30], [220, 220, 220]),
      'sensor noise': () => withNoise(plainBackground(WIDTH, HEIGHT, [128, 128, 128]), 60, 5),
      'a cluttered surface': () => clutterBackground(WIDTH, HEIGHT, 7),
      'another cluttered surface': () => clutterBackground(WIDTH, HEIGHT, 23),
      'a blank card-shaped rectangle (no print on it)': () =>
        cardScene(plainBackground(WIDTH, HEIGHT, [70, 62, 58]), withRoundedCorners(plainBackground(856, 540, [225, 225, 215])), POSES.frontal!).image,
    };
    for (const [name, make] of Object.entries(scenes)) {
      it(name, () => {
        const found = detect(make());
        expect(found, JSON.stringify(found)).to.equal(null);
      });
    }
  });

  it('does not report a card held on end (the capture screen asks for landscape), nor the card-shaped piece of it around the photo', () => {
    for (const rollDegrees of [60, 90]) {
      const scene = cardScene(backgrounds['the cat photo'], card, { centreX: 0.5, centreY: 0.5, widthShare: 0.45, rollDegrees });
      expect(detect(scene.image), `rolled ${rollDegrees}°`).to.equal(null);
    }
  });

  describe('the aspect option', () => {
    let page: ImageData;
    before(() => {
      // The specimen's design on a passport data page's proportions (125 × 88 mm).
      page = withRoundedCorners(resized(card, 856, Math.round(856 / PASSPORT_PAGE_ASPECT)));
    });

    it('finds a passport page, tilted, with the passport aspect', () => {
      const scene = cardScene(backgrounds['the cat photo'], page, { centreX: 0.5, centreY: 0.5, widthShare: 0.6, pitchDegrees: 20, rollDegrees: -6 });
      const found = detect(scene.image, PASSPORT_PAGE_ASPECT);
      expect(found).to.not.equal(null);
      expect(cornerError(found!.quad, scene.truth, WIDTH, HEIGHT)).to.be.below(MAX_CORNER_ERROR_PX);
    });

    it('scores each shape higher with its own aspect than with the other', () => {
      const pageScene = cardScene(backgrounds['a lit gradient'], page, POSES.frontal!);
      const cardScene_ = cardScene(backgrounds['a lit gradient'], card, POSES.frontal!);
      const pageAsPassport = detect(pageScene.image, PASSPORT_PAGE_ASPECT)?.score ?? 0;
      const pageAsCard = detect(pageScene.image, ID1_ASPECT)?.score ?? 0;
      const cardAsCard = detect(cardScene_.image, ID1_ASPECT)?.score ?? 0;
      const cardAsPassport = detect(cardScene_.image, PASSPORT_PAGE_ASPECT)?.score ?? 0;
      console.log(`page: ${pageAsPassport.toFixed(2)} as a passport, ${pageAsCard.toFixed(2)} as a card; card: ${cardAsCard.toFixed(2)} as a card, ${cardAsPassport.toFixed(2)} as a passport`);
      expect(pageAsPassport).to.be.above(pageAsCard);
      expect(cardAsCard).to.be.above(cardAsPassport);
    });
  });

  it('logs the time per frame: luma, document and quality at 640×480 and 1280×720', () => {
    for (const [width, height] of [
      [640, 480],
      [1280, 720],
    ] as const) {
      const background = clutterBackground(width, height, 7);
      const frames = [0, 1, 2, 3].map((k) =>
        withNoise(cardScene(background, card, { centreX: 0.5 + 0.01 * k, centreY: 0.5, widthShare: 0.6, yawDegrees: 15, rollDegrees: 4 * k }).image, NOISE, k),
      );
      const timings = { gray: [] as number[], document: [] as number[], quality: [] as number[] };
      let previous = null;
      for (let k = 0; k < 40; k++) {
        const frame = frames[k % frames.length]!;
        const t0 = performance.now();
        const gray = toGray(frame);
        const t1 = performance.now();
        const found = detectDocumentQuad(gray, { aspect: ID1_ASPECT, rgba: frame });
        const t2 = performance.now();
        measureQuality(gray, frame, found?.quad ?? null, previous);
        const t3 = performance.now();
        previous = gray;
        // The first frames warm the JIT up.
        if (k < 8) continue;
        timings.gray.push(t1 - t0);
        timings.document.push(t2 - t1);
        timings.quality.push(t3 - t2);
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
      const worst = (values: number[]) => Math.max(...values);
      const total = timings.gray.map((g, k) => g + timings.document[k]! + timings.quality[k]!);
      console.log(
        `per frame at ${width}×${height} (cluttered background): luma ${median(timings.gray).toFixed(1)} ms, ` +
          `document ${median(timings.document).toFixed(1)} ms, quality ${median(timings.quality).toFixed(1)} ms, ` +
          `total median ${median(total).toFixed(1)} ms, worst ${worst(total).toFixed(1)} ms`,
      );
    }
  });
});
