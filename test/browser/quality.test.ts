/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { toGray } from '../../flow/vision/gray-image.js';
import { measureQuality } from '../../flow/vision/quality.js';
import type { Quad } from '../../flow/vision/types.js';
import {
  blurred,
  cardScene,
  darkened,
  loadImageData,
  plainBackground,
  shifted,
  withGlare,
  withNoise,
  withRoundedCorners,
  type Scene,
} from './synthetic-scenes.js';

const WIDTH = 640;
const HEIGHT = 480;

describe('measureQuality', () => {
  let scene: Scene;
  let sharp: ImageData;

  before(async () => {
    const card = withRoundedCorners(await loadImageData('/test/fixtures/id-card-specimen.png'));
    scene = cardScene(plainBackground(WIDTH, HEIGHT, [90, 80, 70]), card, { centreX: 0.5, centreY: 0.5, widthShare: 0.7, yawDegrees: 10 });
    sharp = withNoise(scene.image, 4, 1);
  });

  function measure(image: ImageData, region: Quad | null = scene.truth, previous: ImageData | null = null) {
    return measureQuality(toGray(image), image, region, previous ? toGray(previous) : null);
  }

  it('scores a sharp card above the same card out of focus, and more blur lower still', () => {
    const scores = [0, 1, 2, 3].map((radius) => measure(radius ? withNoise(blurred(scene.image, radius), 4, 1) : sharp).sharpness);
    console.log(`sharpness: sharp ${scores[0]!.toFixed(0)}, blurred σ≈1.4 ${scores[1]!.toFixed(0)}, σ≈2.4 ${scores[2]!.toFixed(0)}, σ≈3.5 ${scores[3]!.toFixed(0)}`);
    expect(scores[0]).to.be.above(scores[1]!);
    expect(scores[1]).to.be.above(scores[2]!);
    expect(scores[2]).to.be.above(scores[3]!);
  });

  it('measures sharpness at the same scale whatever the frame size', async () => {
    const card = withRoundedCorners(await loadImageData('/test/fixtures/id-card-specimen.png'));
    const pose = { centreX: 0.5, centreY: 0.5, widthShare: 0.7 };
    const small = cardScene(plainBackground(640, 360, [90, 80, 70]), card, pose);
    const large = cardScene(plainBackground(1280, 720, [90, 80, 70]), card, pose);
    const atSmall = measureQuality(toGray(small.image), small.image, small.truth, null).sharpness;
    const atLarge = measureQuality(toGray(large.image), large.image, large.truth, null).sharpness;
    console.log(`sharpness of one scene: ${atSmall.toFixed(0)} at 640×360, ${atLarge.toFixed(0)} at 1280×720`);
    expect(atLarge / atSmall).to.be.within(0.5, 2);
  });

  it('gives mean luma as brightness, lower for a darkened frame', () => {
    const normal = measure(sharp).brightness;
    const dark = measure(darkened(sharp, 0.35)).brightness;
    console.log(`brightness: normal ${normal.toFixed(2)}, darkened ${dark.toFixed(2)}`);
    expect(normal).to.be.within(0.5, 0.9);
    expect(dark).to.be.closeTo(normal * 0.35, 0.03);
  });

  it('finds glare where a reflection blows the card out, and not in its white lettering', () => {
    const clean = measure(sharp).glare;
    const centre = { x: (scene.truth[0].x + scene.truth[2].x) / 2 + 0.05, y: (scene.truth[0].y + scene.truth[2].y) / 2 };
    const glare = measure(withGlare(sharp, centre, 0.08, 0.06)).glare;
    console.log(`glare: clean ${clean.toFixed(4)}, with a patch ${glare.toFixed(3)}`);
    expect(clean).to.be.below(0.002);
    expect(glare).to.be.above(0.03);
  });

  it('measures glare inside the document only', () => {
    const outside = withGlare(sharp, { x: 0.05, y: 0.08 }, 0.04, 0.05);
    expect(measure(outside).glare).to.be.below(0.002);
  });

  it('sees motion between a frame and a moved one, and almost none between two exposures of a still scene', () => {
    const still = measure(sharp, scene.truth, withNoise(scene.image, 4, 2)).motion;
    const moved = measure(sharp, scene.truth, withNoise(shifted(scene.image, 4, 2), 4, 2)).motion;
    console.log(`motion: still ${still.toFixed(4)}, moved 4 px ${moved.toFixed(4)}`);
    expect(moved).to.be.above(still);
    expect(still).to.be.below(0.02);
  });

  it('reports no motion for the first frame or after a size change', () => {
    expect(measure(sharp, scene.truth, null).motion).to.equal(0);
    const other = plainBackground(320, 240, [0, 0, 0]);
    expect(measureQuality(toGray(sharp), sharp, scene.truth, toGray(other)).motion).to.equal(0);
  });

  it('measures the middle of the frame when there is no document', () => {
    const quality = measure(sharp, null);
    expect(quality.sharpness).to.be.above(0);
    expect(quality.brightness).to.be.within(0.3, 0.95);
  });
});
