/**
 * Still pictures for the preview mode's capture screens, drawn as SVG: a made-up card on a table
 * (front or back, in the chosen document's shape and colours) or a drawn face in a room, placed
 * so that the guidance shown makes sense (a small card for "move closer", a white patch for
 * glare, a blur for "not sharp"), with the analysis the detector would report for that picture:
 * the card's corners or the face's box, in the same 0..1 coordinates the worker uses. Nothing in
 * them is a person's data.
 */
import type { CaptureKind, DocumentType } from '../contract/sessions.js';
import { aspectOf } from './vision/document-shapes.js';
import type { FaceBox, FrameAnalysis, Guidance, Point, Quad } from './vision/types.js';

/** The camera frame the scenes are drawn in: 4:3, like the capture screen before a video is live. */
const WIDTH = 640;
const HEIGHT = 480;

export interface Scene {
  /** `data:image/svg+xml,…`, for an `<img>` or the video's poster. */
  url: string;
  analysis: FrameAnalysis;
}

/** Where the card lies: its centre and width as fractions of the frame, and its tilt in degrees. */
interface CardPlacement {
  cx: number;
  cy: number;
  width: number;
  angle: number;
  /** Seen by the detector (a quad is drawn): false when part of the card is out of the frame. */
  found: boolean;
  effect?: 'glare' | 'blur' | 'motion';
}

const WELL_PLACED = { cx: 0.5, cy: 0.5, width: 0.74, angle: -2, found: true } as const;

const CARD_PLACEMENTS: Partial<Record<Guidance, CardPlacement>> = {
  searching: { cx: 0.86, cy: 0.64, width: 0.62, angle: 8, found: false },
  move_closer: { cx: 0.52, cy: 0.54, width: 0.36, angle: 5, found: true },
  glare: { ...WELL_PLACED, effect: 'glare' },
  blurry: { ...WELL_PLACED, effect: 'blur' },
  hold_still: { ...WELL_PLACED, angle: -4, effect: 'motion' },
  good: WELL_PLACED,
};

/** Where the head is: its centre in frame pixels and its size (1: 144 px wide); null: no one there. */
interface FacePlacement {
  cx: number;
  cy: number;
  size: number;
}

const FACE_PLACEMENTS: Partial<Record<Guidance, FacePlacement | null>> = {
  no_face: null,
  face_centre: { cx: 150, cy: 220, size: 1.25 },
  good: { cx: 320, cy: 215, size: 1.4 },
};

/** The picture and analysis of a capture step in the state `guidance`. */
export function captureScene(kind: CaptureKind, guidance: Guidance, documentType: DocumentType): Scene {
  if (kind === 'selfie') {
    const face = FACE_PLACEMENTS[guidance] ?? null;
    return {
      url: svgUrl(room() + (face ? person(face) : '')),
      analysis: analysisOf('selfie', guidance, null, face ? [faceBox(face)] : []),
    };
  }
  const placement = CARD_PLACEMENTS[guidance] ?? CARD_PLACEMENTS.searching!;
  const aspect = aspectOf(documentType);
  const card = cardOnTable(placement, aspect, kind === 'document_back' ? cardBack(documentType) : cardFront(documentType));
  return {
    url: svgUrl(card),
    analysis: analysisOf('document', guidance, placement.found ? quadOf(placement, aspect) : null, []),
  };
}

function analysisOf(target: 'document' | 'selfie', guidance: Guidance, quad: Quad | null, faces: FaceBox[]): FrameAnalysis {
  return {
    target,
    width: WIDTH,
    height: HEIGHT,
    quality: { sharpness: guidance === 'blurry' ? 40 : 420, brightness: 0.55, glare: guidance === 'glare' ? 0.08 : 0.002, motion: guidance === 'hold_still' ? 0.09 : 0.004 },
    quad,
    fill: quad ? polygonArea(quad) : 0,
    faces,
    guidance,
    good: guidance === 'good',
    elapsedMs: 0,
  };
}

function svgUrl(body: string): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">${body}</svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

// ---- Documents ----

/** The card's corners, clockwise from the top left, as fractions of the frame. */
function quadOf(p: CardPlacement, aspect: number): Quad {
  const w = p.width * WIDTH;
  const h = w / aspect;
  const a = (p.angle * Math.PI) / 180;
  const corner = (x: number, y: number): Point => ({
    x: (p.cx * WIDTH + x * Math.cos(a) - y * Math.sin(a)) / WIDTH,
    y: (p.cy * HEIGHT + x * Math.sin(a) + y * Math.cos(a)) / HEIGHT,
  });
  return [corner(-w / 2, -h / 2), corner(w / 2, -h / 2), corner(w / 2, h / 2), corner(-w / 2, h / 2)];
}

function polygonArea(quad: Quad): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % 4]!;
    sum += a.x * b.y - b.x * a.y;
  }
  return Math.abs(sum) / 2;
}

/** Card art is drawn on a 1000-unit-wide card; `art(height)` gets the card's height in those units. */
type CardArt = (height: number) => string;

function cardOnTable(p: CardPlacement, aspect: number, art: CardArt): string {
  const scale = (p.width * WIDTH) / 1000;
  const h = 1000 / aspect;
  const place = `translate(${p.cx * WIDTH} ${p.cy * HEIGHT}) rotate(${p.angle}) scale(${scale}) translate(-500 ${-h / 2})`;
  // Out of focus, the whole picture blurs; moving, the card smears sideways over a sharp table.
  const sceneFilter = p.effect === 'blur' ? 'url(#blur)' : 'none';
  const cardFilter = p.effect === 'motion' ? 'url(#motion)' : 'none';
  return `<defs>
<linearGradient id="wood" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#9b6b45"/><stop offset="1" stop-color="#6a4329"/></linearGradient>
<filter id="shadow" x="-10%" y="-10%" width="120%" height="130%"><feGaussianBlur stdDeviation="14"/></filter>
<filter id="blur" filterUnits="userSpaceOnUse" x="0" y="0" width="${WIDTH}" height="${HEIGHT}"><feGaussianBlur stdDeviation="7"/></filter>
<filter id="motion" x="-10%" y="-10%" width="120%" height="120%"><feGaussianBlur stdDeviation="16 1"/></filter>
<radialGradient id="glare"><stop offset="0" stop-color="#fff"/><stop offset="0.45" stop-color="#fff" stop-opacity="0.92"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>
<clipPath id="card"><rect width="1000" height="${h}" rx="45"/></clipPath>
</defs>
<g filter="${sceneFilter}">
<rect x="-40" y="-40" width="${WIDTH + 80}" height="${HEIGHT + 80}" fill="url(#wood)"/>
${[60, 150, 230, 330, 410].map((y, i) => `<path d="M-40 ${y} C 200 ${y + 18 - i * 6} 420 ${y - 14} ${WIDTH + 40} ${y + 8}" stroke="#3b2416" stroke-opacity="0.14" stroke-width="3" fill="none"/>`).join('')}
<g transform="${place}">
<rect x="10" y="24" width="1000" height="${h}" rx="45" fill="#000" opacity="0.45" filter="url(#shadow)"/>
<g filter="${cardFilter}">
<g clip-path="url(#card)">${art(h)}</g>
<rect width="1000" height="${h}" rx="45" fill="none" stroke="#000" stroke-opacity="0.12" stroke-width="4"/>
${p.effect === 'glare' ? `<ellipse cx="640" cy="${h * 0.38}" rx="250" ry="${h * 0.34}" fill="url(#glare)"/>` : ''}
</g>
</g>
</g>`;
}

const CARD_COLOURS: Record<DocumentType, { paper: [string, string]; band: string }> = {
  id_card: { paper: ['#e6eef7', '#f3e8ef'], band: '#34557f' },
  driving_licence: { paper: ['#f6e2e8', '#eef0f6'], band: '#8a2e4a' },
  passport: { paper: ['#f2eedf', '#e6eee3'], band: '#2f5d50' },
};

const bar = (x: number, y: number, w: number, h: number, fill: string, opacity = 1) =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${h / 3}" fill="${fill}" opacity="${opacity}"/>`;

function paper(type: DocumentType, h: number): string {
  const { paper } = CARD_COLOURS[type];
  return `<linearGradient id="paper" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${paper[0]}"/><stop offset="1" stop-color="${paper[1]}"/></linearGradient>
<rect width="1000" height="${h}" fill="url(#paper)"/>
<circle cx="760" cy="${h * 0.55}" r="${h * 0.42}" fill="none" stroke="${CARD_COLOURS[type].band}" stroke-opacity="0.08" stroke-width="18"/>`;
}

/** Two or three lines of machine-readable zone: rows of dark marks. */
function mrz(h: number, rows: number): string {
  let marks = '';
  for (let r = 0; r < rows; r++) {
    const y = h * (0.93 - (rows - r) * 0.085);
    for (let i = 0; i < 30; i++) {
      const filler = (i * 7 + r * 3) % 5 === 0; // '<' fillers are thinner
      marks += bar(50 + i * 30.5, y, filler ? 10 : 21, h * 0.055, '#3a424d', filler ? 0.45 : 0.8);
    }
  }
  return marks;
}

/** A face-like shape, not a face: a head and shoulders in two tones. */
function silhouette(x: number, y: number, w: number, h: number): string {
  return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="12" fill="#d3dce7"/>
<circle cx="${x + w / 2}" cy="${y + h * 0.38}" r="${w * 0.22}" fill="#7f91a8"/>
<ellipse cx="${x + w / 2}" cy="${y + h * 1.02}" rx="${w * 0.42}" ry="${h * 0.34}" fill="#7f91a8"/>`;
}

function cardFront(type: DocumentType): CardArt {
  const { band } = CARD_COLOURS[type];
  return (h) => {
    const isPassport = type === 'passport';
    const top = h * 0.17;
    const rows = [0.25, 0.35, 0.45, 0.55, 0.65].slice(0, isPassport ? 4 : 5);
    const portraitHeight = isPassport ? h * 0.46 : h * 0.6;
    return `${paper(type, h)}
<rect width="1000" height="${top}" fill="${band}"/>
${bar(50, top * 0.28, 340, top * 0.26, '#fff', 0.85)}${bar(50, top * 0.64, 220, top * 0.16, '#fff', 0.6)}
${bar(760, top * 0.3, 190, top * 0.4, '#fff', 0.35)}
${silhouette(50, h * 0.24, 280, portraitHeight)}
${rows.map((y, i) => bar(380, h * y, 120, h * 0.025, '#8693a5', 0.7) + bar(380, h * y + h * 0.035, [460, 380, 300, 420, 260][i]!, h * 0.045, '#4b5563', 0.85)).join('')}
<path d="M${isPassport ? 700 : 620} ${h * (isPassport ? 0.62 : 0.84)} c30 -40 60 30 90 -10 s40 -30 70 10 s40 10 80 -20" stroke="#1f3a68" stroke-width="6" fill="none" opacity="0.7"/>
<circle cx="900" cy="${h * 0.72}" r="${h * 0.07}" fill="none" stroke="${band}" stroke-width="6" opacity="0.4"/>
${isPassport ? mrz(h, 2) : ''}`;
  };
}

function cardBack(type: DocumentType): CardArt {
  return (h) => {
    let stripes = '';
    for (let i = 0, x = 60; x < 520; i++) {
      const w = [6, 12, 4, 9, 15, 5][i % 6]!;
      stripes += `<rect x="${x}" y="${h * 0.3}" width="${w}" height="${h * 0.22}" fill="#2d333b"/>`;
      x += w + [5, 8, 4, 10][i % 4]!;
    }
    return `${paper(type, h)}
${[0.08, 0.15].map((y, i) => bar(60, h * y, [520, 380][i]!, h * 0.045, '#4b5563', 0.8)).join('')}
${stripes}
${bar(600, h * 0.3, 320, h * 0.04, '#8693a5', 0.7)}${bar(600, h * 0.38, 260, h * 0.04, '#8693a5', 0.7)}${bar(600, h * 0.46, 300, h * 0.04, '#8693a5', 0.7)}
${mrz(h, 3)}`;
  };
}

// ---- Faces ----

function room(): string {
  return `<defs>
<linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#d5dce4"/><stop offset="1" stop-color="#aab5c2"/></linearGradient>
<radialGradient id="lamp"><stop offset="0" stop-color="#fff8e6" stop-opacity="0.9"/><stop offset="1" stop-color="#fff8e6" stop-opacity="0"/></radialGradient>
</defs>
<rect width="${WIDTH}" height="${HEIGHT}" fill="url(#wall)"/>
<circle cx="90" cy="60" r="190" fill="url(#lamp)"/>
<rect x="470" y="70" width="120" height="90" fill="#e9e2d0" stroke="#8c7a5b" stroke-width="7"/>
<path d="M480 150 l30 -40 l25 25 l20 -15 l25 30 z" fill="#9fb59a"/>
<rect x="0" y="400" width="${WIDTH}" height="80" fill="#8d9aab"/>`;
}

/** A drawn head and shoulders, the head centred at (cx, cy) in frame pixels, `size` times 72 × 94 px. */
function person({ cx, cy, size }: FacePlacement): string {
  return `<g transform="translate(${cx} ${cy}) scale(${size})">
<rect x="-30" y="60" width="60" height="80" fill="#d39d78"/>
<path d="M-230 ${(HEIGHT - cy) / size + 10} C -220 80 220 80 230 ${(HEIGHT - cy) / size + 10} Z" fill="#3f6c9e"/>
<ellipse cx="-72" cy="6" rx="13" ry="22" fill="#dba982"/><ellipse cx="72" cy="6" rx="13" ry="22" fill="#dba982"/>
<ellipse cx="0" cy="0" rx="72" ry="94" fill="#e7b993"/>
<path d="M-76 -8 C -86 -118 86 -118 76 -8 C 58 -62 -58 -62 -76 -8 Z" fill="#4a3426"/>
<path d="M-40 -30 q14 -9 28 0 M12 -30 q14 -9 28 0" stroke="#4a3426" stroke-width="5" fill="none" stroke-linecap="round"/>
<ellipse cx="-26" cy="-10" rx="8" ry="6" fill="#2b2b2b"/><ellipse cx="26" cy="-10" rx="8" ry="6" fill="#2b2b2b"/>
<path d="M0 -2 q-9 26 2 30" stroke="#b98462" stroke-width="4" fill="none" stroke-linecap="round"/>
<path d="M-24 44 Q 0 60 24 44" stroke="#9c4a46" stroke-width="5" fill="none" stroke-linecap="round"/>
</g>`;
}

/** The box BlazeFace reports for that head: brows to chin, cheek to cheek; keypoints where they are drawn. */
function faceBox({ cx, cy, size }: FacePlacement): FaceBox {
  const point = (x: number, y: number): Point => ({ x: (cx + x * size) / WIDTH, y: (cy + y * size) / HEIGHT });
  const topLeft = point(-66, -58);
  return {
    ...topLeft,
    width: (132 * size) / WIDTH,
    height: (150 * size) / HEIGHT,
    score: 0.96,
    keypoints: [point(-26, -10), point(26, -10), point(0, 24), point(0, 48), point(-72, 6), point(72, 6)],
  };
}
