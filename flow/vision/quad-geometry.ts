/**
 * Quadrilaterals as eight numbers (x0, y0 … x3, y3 in pixels, in boundary order): the shape tests
 * and orderings the document search and its callers share.
 */

/** Convex, with no three corners in a line (either winding). */
export function isConvex(c: Float64Array): boolean {
  let sign = 0;
  for (let k = 0; k < 4; k++) {
    const a = 2 * k;
    const b = 2 * ((k + 1) % 4);
    const d = 2 * ((k + 2) % 4);
    const cross = (c[b]! - c[a]!) * (c[d + 1]! - c[b + 1]!) - (c[b + 1]! - c[a + 1]!) * (c[d]! - c[b]!);
    if (cross === 0) return false;
    const s = cross > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

/** Every side at least `minSide` long. */
export function hasLongSides(c: Float64Array, minSide: number): boolean {
  for (let k = 0; k < 4; k++) {
    const a = 2 * k;
    const b = 2 * ((k + 1) % 4);
    if (Math.hypot(c[b]! - c[a]!, c[b + 1]! - c[a + 1]!) < minSide) return false;
  }
  return true;
}

/** Shoelace formula. */
export function quadArea(c: Float64Array): number {
  let twice = 0;
  for (let k = 0; k < 4; k++) {
    const a = 2 * k;
    const b = 2 * ((k + 1) % 4);
    twice += c[a]! * c[b + 1]! - c[b]! * c[a + 1]!;
  }
  return Math.abs(twice) / 2;
}

/**
 * Clockwise on screen (y grows downwards), starting at the corner nearest the frame's top left
 * (smallest x + y): for a card turned less than 45° that is its own top-left corner.
 */
export function orderClockwiseFromTopLeft(c: Float64Array, out: Float64Array): void {
  // Boundary order is either clockwise or counter-clockwise; the shoelace sign tells which.
  let twice = 0;
  for (let k = 0; k < 4; k++) twice += c[2 * k]! * c[2 * ((k + 1) % 4) + 1]! - c[2 * ((k + 1) % 4)]! * c[2 * k + 1]!;
  const step = twice > 0 ? 1 : 3; // positive area is clockwise when y points down
  let first = 0;
  for (let k = 1; k < 4; k++) if (c[2 * k]! + c[2 * k + 1]! < c[2 * first]! + c[2 * first + 1]!) first = k;
  for (let k = 0; k < 4; k++) {
    const from = (first + k * step) % 4;
    out[2 * k] = c[2 * from]!;
    out[2 * k + 1] = c[2 * from + 1]!;
  }
}
