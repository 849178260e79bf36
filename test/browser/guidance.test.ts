/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { ID1_ASPECT, PASSPORT_PAGE_ASPECT } from '../../flow/vision/document.js';
import { documentGuidance, selfieGuidance, type DocumentFrame, type SelfieFrame } from '../../flow/vision/guidance.js';
import type { FaceBox, Quad, QualityMetrics } from '../../flow/vision/types.js';

/** A card frame the applicant could not improve: sharp, well lit, steady, no glare. */
const GOOD_QUALITY: QualityMetrics = { sharpness: 900, brightness: 0.7, glare: 0, motion: 0.005 };

/** An axis-aligned quad from its left, top, right and bottom (fractions of the frame). */
function box(left: number, top: number, right: number, bottom: number): Quad {
  return [
    { x: left, y: top },
    { x: right, y: top },
    { x: right, y: bottom },
    { x: left, y: bottom },
  ];
}

/** Area of an axis-aligned quad in a frame, as detectDocumentQuad reports it. */
function fillOf(quad: Quad): number {
  return (quad[1].x - quad[0].x) * (quad[2].y - quad[1].y);
}

/** A face box with level eyes, centred on (x, y), `width` of the frame wide (square in a 4:3 frame). */
function face(x: number, y: number, width: number, score = 0.9, tiltDegrees = 0): FaceBox {
  const height = width * (4 / 3);
  const eyeSpan = width * 0.4;
  const rise = (Math.tan((tiltDegrees * Math.PI) / 180) * eyeSpan * 4) / 3;
  return {
    x: x - width / 2,
    y: y - height / 2,
    width,
    height,
    score,
    keypoints: [
      { x: x - eyeSpan / 2, y: y - height * 0.15 + rise / 2 },
      { x: x + eyeSpan / 2, y: y - height * 0.15 - rise / 2 },
      { x, y },
      { x, y: y + height * 0.2 },
      { x: x - width / 2, y },
      { x: x + width / 2, y },
    ],
  };
}

describe('documentGuidance', () => {
  // About 70% of the frame's width: big enough, clear of the borders.
  const CARD = box(0.15, 0.2, 0.85, 0.78);

  function guide(changes: Partial<DocumentFrame> = {}, quality: Partial<QualityMetrics> = {}) {
    const quad = changes.quad === undefined ? CARD : changes.quad;
    return documentGuidance({
      quad,
      fill: quad ? fillOf(quad) : 0,
      faces: [],
      aspect: ID1_ASPECT,
      ...changes,
      quality: { ...GOOD_QUALITY, ...quality },
    });
  }

  it('is good, and only then, for a large, sharp, steady, well-lit card', () => {
    expect(guide()).to.deep.equal({ guidance: 'good', good: true });
    expect(guide({ quad: null }).good).to.equal(false);
  });

  it('searches while there is no document', () => {
    expect(guide({ quad: null }).guidance).to.equal('searching');
  });

  it('says it is too dark (or too bright) rather than searching when the light is why nothing is found', () => {
    expect(guide({ quad: null }, { brightness: 0.1 }).guidance).to.equal('too_dark');
    expect(guide({ quad: null }, { brightness: 0.97 }).guidance).to.equal('too_bright');
  });

  it('asks to move closer when the card is small', () => {
    expect(guide({ quad: box(0.35, 0.35, 0.65, 0.55) }).guidance).to.equal('move_closer');
  });

  it('scales the size limits with the document shape', () => {
    // At the same fill a squarer passport page spans less of the frame's width than an ID-1 card.
    const quad = box(0.2, 0.25, 0.8, 0.73);
    const fill = 0.268;
    expect(documentGuidance({ quad, fill, quality: GOOD_QUALITY, faces: [], aspect: ID1_ASPECT }).guidance).to.equal('good');
    expect(documentGuidance({ quad, fill, quality: GOOD_QUALITY, faces: [], aspect: PASSPORT_PAGE_ASPECT }).guidance).to.equal('move_closer');
  });

  it('asks to move back when the card touches the frame edge or fills it', () => {
    expect(guide({ quad: box(0.005, 0.2, 0.7, 0.75) }).guidance).to.equal('move_back');
    expect(guide({ quad: box(0.2, 0.3, 0.8, 0.995) }).guidance).to.equal('move_back');
    expect(guide({ quad: box(0.03, 0.03, 0.97, 0.97) }).guidance).to.equal('move_back');
  });

  it('asks for more light, or less', () => {
    expect(guide({}, { brightness: 0.2 }).guidance).to.equal('too_dark');
    expect(guide({}, { brightness: 0.96 }).guidance).to.equal('too_bright');
  });

  it('says the picture is blurry', () => {
    expect(guide({}, { sharpness: 90 }).guidance).to.equal('blurry');
  });

  it('asks to hold still when the frame moves', () => {
    expect(guide({}, { motion: 0.06 }).guidance).to.equal('hold_still');
  });

  it('warns of glare on the card', () => {
    expect(guide({}, { glare: 0.05 }).guidance).to.equal('glare');
  });

  it('puts distance before light, and light before focus, steadiness and glare', () => {
    expect(guide({ quad: box(0.4, 0.4, 0.6, 0.55) }, { brightness: 0.1, sharpness: 10, motion: 0.2, glare: 0.5 }).guidance).to.equal('move_closer');
    expect(guide({}, { brightness: 0.1, sharpness: 10, motion: 0.2, glare: 0.5 }).guidance).to.equal('too_dark');
    expect(guide({}, { sharpness: 10, motion: 0.2, glare: 0.5 }).guidance).to.equal('blurry');
    expect(guide({}, { motion: 0.2, glare: 0.5 }).guidance).to.equal('hold_still');
  });

  describe('the portrait on a document front', () => {
    it('wants a face inside the card when the portrait is required', () => {
      expect(guide({ requirePortrait: true }).guidance).to.equal('no_portrait');
      expect(guide({ requirePortrait: true, faces: [face(0.3, 0.5, 0.12)] })).to.deep.equal({ guidance: 'good', good: true });
    });

    it('does not count a face outside the card, or a doubtful one', () => {
      expect(guide({ requirePortrait: true, faces: [face(0.92, 0.5, 0.1)] }).guidance).to.equal('no_portrait');
      expect(guide({ requirePortrait: true, faces: [face(0.3, 0.5, 0.12, 0.4)] }).guidance).to.equal('no_portrait');
    });

    it('finds the face inside a tilted card', () => {
      const tilted: Quad = [
        { x: 0.2, y: 0.3 },
        { x: 0.8, y: 0.18 },
        { x: 0.86, y: 0.7 },
        { x: 0.18, y: 0.8 },
      ];
      expect(guide({ quad: tilted, fill: 0.35, requirePortrait: true, faces: [face(0.3, 0.5, 0.12)] }).guidance).to.equal('good');
      expect(guide({ quad: tilted, fill: 0.35, requirePortrait: true, faces: [face(0.19, 0.25, 0.05)] }).guidance).to.equal('no_portrait');
    });

    it('does not ask for a portrait on a card’s back (the default)', () => {
      expect(guide().guidance).to.equal('good');
      expect(guide({ requirePortrait: false }).guidance).to.equal('good');
    });
  });
});

describe('selfieGuidance', () => {
  const SELFIE_QUALITY: QualityMetrics = { sharpness: 250, brightness: 0.5, glare: 0, motion: 0.005 };

  function guide(faces: FaceBox[], quality: Partial<QualityMetrics> = {}, changes: Partial<SelfieFrame> = {}) {
    return selfieGuidance({ faces, quality: { ...SELFIE_QUALITY, ...quality }, ...changes });
  }

  it('is good for one large, centred, level, sharp, steady face', () => {
    expect(guide([face(0.5, 0.45, 0.3)])).to.deep.equal({ guidance: 'good', good: true });
  });

  it('asks for a face when there is none, or only a doubtful one', () => {
    expect(guide([]).guidance).to.equal('no_face');
    expect(guide([face(0.5, 0.45, 0.3, 0.45)]).guidance).to.equal('no_face');
  });

  it('says it is too dark or too bright when no face is seen in bad light', () => {
    expect(guide([], { brightness: 0.1 }).guidance).to.equal('too_dark');
    expect(guide([], { brightness: 0.95 }).guidance).to.equal('too_bright');
  });

  it('refuses several faces, but ignores doubtful extras', () => {
    expect(guide([face(0.5, 0.45, 0.3), face(0.85, 0.3, 0.15)]).guidance).to.equal('several_faces');
    expect(guide([face(0.5, 0.45, 0.3), face(0.85, 0.3, 0.15, 0.3)]).guidance).to.equal('good');
  });

  it('asks to come closer to a small face', () => {
    expect(guide([face(0.5, 0.45, 0.12)]).guidance).to.equal('face_closer');
  });

  it('asks to centre a face off to a side, above or below', () => {
    expect(guide([face(0.25, 0.45, 0.3)]).guidance).to.equal('face_centre');
    expect(guide([face(0.5, 0.85, 0.25)]).guidance).to.equal('face_centre');
  });

  it('asks to hold the head level when the eyes are tilted more than 10°', () => {
    expect(guide([face(0.5, 0.45, 0.3, 0.9, 7)]).guidance).to.equal('good');
    expect(guide([face(0.5, 0.45, 0.3, 0.9, 15)]).guidance).to.equal('face_level');
    expect(guide([face(0.5, 0.45, 0.3, 0.9, -15)]).guidance).to.equal('face_level');
  });

  it('measures the eye line in pixels, whatever the frame shape', () => {
    // The same 7° tilt in a 16:9 frame: the keypoints' fractions differ, the angle does not.
    const wide = face(0.5, 0.45, 0.3, 0.9, 0);
    const span = wide.keypoints[1]!.x - wide.keypoints[0]!.x;
    const rise = Math.tan((7 * Math.PI) / 180) * span * (16 / 9);
    wide.keypoints[0] = { x: wide.keypoints[0]!.x, y: wide.keypoints[0]!.y + rise / 2 };
    wide.keypoints[1] = { x: wide.keypoints[1]!.x, y: wide.keypoints[1]!.y - rise / 2 };
    expect(guide([wide], {}, { frameAspect: 16 / 9 }).guidance).to.equal('good');
  });

  it('asks for light, focus and stillness after the face is placed', () => {
    expect(guide([face(0.5, 0.45, 0.3)], { brightness: 0.15 }).guidance).to.equal('too_dark');
    expect(guide([face(0.5, 0.45, 0.3)], { brightness: 0.92 }).guidance).to.equal('too_bright');
    expect(guide([face(0.5, 0.45, 0.3)], { sharpness: 10 }).guidance).to.equal('blurry');
    expect(guide([face(0.5, 0.45, 0.3)], { motion: 0.08 }).guidance).to.equal('hold_still');
    expect(guide([face(0.25, 0.45, 0.3)], { brightness: 0.15 }).guidance).to.equal('face_centre');
  });
});
