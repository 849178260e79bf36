/**
 * The true width/height ratio of a rectangle seen in perspective. A card tilted 25° away looks
 * 10% squatter than it is, which is as much as an ID-1 card differs from a passport page, so the
 * side lengths in the image are not enough. Method: Zhang & He, "Whiteboard scanning and image
 * enhancement" (Digital Signal Processing 17, 2007), §2: the two vanishing directions of the
 * quadrilateral give the camera's focal length (square pixels, principal point at the centre),
 * and with it the rectangle's aspect.
 */

// Phone and laptop cameras have horizontal fields of view of about 55–80°, i.e. a focal length of
// 0.6–1 frame widths. The estimate is clamped to a generous range around that, because it is
// ill-conditioned when the card faces the camera (then the focal length hardly matters anyway).
const MIN_FOCAL_WIDTHS = 0.5;
const MAX_FOCAL_WIDTHS = 2.5;
const DEFAULT_FOCAL_WIDTHS = 0.9;
const MIN_VANISHING_NEARNESS = 0.1;

/**
 * Width/height of the rectangle whose corners (clockwise from the top left, in pixels of an image
 * `imageWidth` × `imageHeight`) are given as x0, y0, … x3, y3. Width is the top side (corner 0 → 1).
 */
export function rectangleAspect(corners: ArrayLike<number>, imageWidth: number, imageHeight: number): number {
  const u0 = imageWidth / 2;
  const v0 = imageHeight / 2;
  // Zhang & He's numbering: m1 top left, m2 top right, m3 bottom left, m4 bottom right.
  const m1x = corners[0]! - u0;
  const m1y = corners[1]! - v0;
  const m2x = corners[2]! - u0;
  const m2y = corners[3]! - v0;
  const m4x = corners[4]! - u0;
  const m4y = corners[5]! - v0;
  const m3x = corners[6]! - u0;
  const m3y = corners[7]! - v0;
  // (m1 × m4), with homogeneous coordinate 1.
  const c14x = m1y - m4y;
  const c14y = m4x - m1x;
  const c14z = m1x * m4y - m1y * m4x;
  const k2 = (c14x * m3x + c14y * m3y + c14z) / crossDot(m2x, m2y, m4x, m4y, m3x, m3y);
  const k3 = (c14x * m2x + c14y * m2y + c14z) / crossDot(m3x, m3y, m4x, m4y, m2x, m2y);
  const n2x = k2 * m2x - m1x;
  const n2y = k2 * m2y - m1y;
  const n2z = k2 - 1;
  const n3x = k3 * m3x - m1x;
  const n3y = k3 * m3y - m1y;
  const n3z = k3 - 1;
  const scale = Math.max(imageWidth, imageHeight);
  // Each vanishing point must be near enough (within 1/MIN_VANISHING_NEARNESS frame widths) for
  // the pair to fix the focal length: a card tilted about one axis only has one at infinity, and
  // then the typical camera's focal length is the best guess.
  const isEstimable =
    Math.abs(n2z) * scale > MIN_VANISHING_NEARNESS * Math.hypot(n2x, n2y) &&
    Math.abs(n3z) * scale > MIN_VANISHING_NEARNESS * Math.hypot(n3x, n3y);
  let focalSquared = isEstimable ? -(n2x * n3x + n2y * n3y) / (n2z * n3z) : NaN;
  if (!Number.isFinite(focalSquared) || focalSquared <= 0) focalSquared = (DEFAULT_FOCAL_WIDTHS * scale) ** 2;
  focalSquared = Math.min((MAX_FOCAL_WIDTHS * scale) ** 2, Math.max((MIN_FOCAL_WIDTHS * scale) ** 2, focalSquared));
  const widthSquared = n2x * n2x + n2y * n2y + focalSquared * n2z * n2z;
  const heightSquared = n3x * n3x + n3y * n3y + focalSquared * n3z * n3z;
  const aspect = Math.sqrt(widthSquared / heightSquared);
  return Number.isFinite(aspect) && aspect > 0 ? aspect : sideRatio(corners);
}

/** (a × b) · c for homogeneous points with z = 1. */
function crossDot(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (ay - by) * cx + (bx - ax) * cy + (ax * by - ay * bx);
}

/** Mean of the top and bottom side lengths over the mean of the left and right: the no-perspective fallback. */
function sideRatio(c: ArrayLike<number>): number {
  const top = Math.hypot(c[2]! - c[0]!, c[3]! - c[1]!);
  const right = Math.hypot(c[4]! - c[2]!, c[5]! - c[3]!);
  const bottom = Math.hypot(c[6]! - c[4]!, c[7]! - c[5]!);
  const left = Math.hypot(c[0]! - c[6]!, c[1]! - c[7]!);
  return (top + bottom) / (right + left);
}
