import jsQRModule from 'jsqr';

// jsqr is CommonJS whose module.exports is the function; its types describe an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

/**
 * Reads a QR code from the SVG the `qrcode` package draws: a square viewBox and one stroked path of
 * horizontal runs (`M x y.5 h n m dx dy h n …`, one unit per module). The runs are painted into
 * pixels (`scale` per module, dark on white) and scanned with jsQR, so what is checked is the image
 * a phone would see, not the text it was made from. Null when nothing scans.
 */
export function scanQrSvg(svg: string, scale = 6): string | null {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const path = /<path[^>]*stroke="[^"]*"[^>]*\sd="([^"]+)"/.exec(svg)?.[1];
  if (!size || !path) return null;
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  let x = 0;
  let y = 0;
  for (const [, command, args] of path.matchAll(/([MmHh])([^MmHh]*)/g)) {
    const numbers = args!.trim().split(/[\s,]+/).filter(Boolean).map(Number);
    if (command === 'M') [x, y] = [numbers[0]!, numbers[1]!];
    else if (command === 'm') [x, y] = [x + numbers[0]!, y + numbers[1]!];
    else {
      const to = command === 'h' ? x + numbers[0]! : numbers[0]!;
      paintRow(pixels, width, scale, Math.floor(y), Math.min(x, to), Math.max(x, to));
      x = to;
    }
  }
  return jsQR(pixels, width, width)?.data ?? null;
}

function paintRow(pixels: Uint8ClampedArray, width: number, scale: number, row: number, from: number, to: number): void {
  for (let py = row * scale; py < (row + 1) * scale; py++) {
    for (let px = from * scale; px < to * scale; px++) {
      const at = (py * width + px) * 4;
      pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
    }
  }
}
