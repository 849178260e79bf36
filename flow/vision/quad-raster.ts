/**
 * Row spans of a convex quadrilateral: the pixels inside a card, visited row by row, without a
 * point-in-polygon test per pixel.
 */

const spanBuffer = new Float64Array(2);

/**
 * Calls `visit(y, fromX, toX)` (inclusive) for each pixel row of the convex quad `corners`
 * (x0, y0 … x3, y3 in pixels, pixel centres at integers), clipped to `margin` pixels inside a
 * `width` × `height` image.
 */
export function forEachQuadRow(
  corners: ArrayLike<number>,
  width: number,
  height: number,
  margin: number,
  visit: (y: number, fromX: number, toX: number) => void,
): void {
  const top = Math.max(margin, Math.ceil(Math.min(corners[1]!, corners[3]!, corners[5]!, corners[7]!)));
  const bottom = Math.min(height - 1 - margin, Math.floor(Math.max(corners[1]!, corners[3]!, corners[5]!, corners[7]!)));
  for (let y = top; y <= bottom; y++) {
    if (!rowSpan(corners, y)) continue;
    const from = Math.max(margin, Math.ceil(spanBuffer[0]!));
    const to = Math.min(width - 1 - margin, Math.floor(spanBuffer[1]!));
    if (to >= from) visit(y, from, to);
  }
}

/**
 * `quad` scaled by `1 - inset` towards its centre, into `out` (8 numbers): the inside of a card
 * without its border, whatever the perspective.
 */
export function insetQuad(corners: ArrayLike<number>, inset: number, out: Float64Array): Float64Array {
  const centreX = (corners[0]! + corners[2]! + corners[4]! + corners[6]!) / 4;
  const centreY = (corners[1]! + corners[3]! + corners[5]! + corners[7]!) / 4;
  for (let k = 0; k < 4; k++) {
    out[2 * k] = centreX + (corners[2 * k]! - centreX) * (1 - inset);
    out[2 * k + 1] = centreY + (corners[2 * k + 1]! - centreY) * (1 - inset);
  }
  return out;
}

/** Where row y crosses the quad, into spanBuffer; false when it does not. */
function rowSpan(corners: ArrayLike<number>, y: number): boolean {
  let left = Infinity;
  let right = -Infinity;
  for (let k = 0; k < 4; k++) {
    const ax = corners[2 * k]!;
    const ay = corners[2 * k + 1]!;
    const bx = corners[(2 * k + 2) % 8]!;
    const by = corners[(2 * k + 3) % 8]!;
    if ((y < ay && y < by) || (y > ay && y > by) || ay === by) continue;
    const x = ax + ((y - ay) * (bx - ax)) / (by - ay);
    if (x < left) left = x;
    if (x > right) right = x;
  }
  spanBuffer[0] = left;
  spanBuffer[1] = right;
  return right >= left;
}
