/**
 * Draws the add-in icon — a calendar with two sync arrows — at every size the manifest names and
 * writes assets/icon-<size>.png. Drawn programmatically so the icons can be regenerated
 * identically; each pixel averages a grid of samples, which is the anti-aliasing.
 *
 *   npx tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

export const iconSizes = [16, 20, 24, 25, 32, 40, 48, 64, 80, 128] as const;

type Rgba = readonly [number, number, number, number];
const transparent: Rgba = [0, 0, 0, 0];
const brand: Rgba = [15, 108, 189, 255]; // Fluent's brand blue (#0F6CBD)
const paper: Rgba = [255, 255, 255, 255];

/** Distance-free test: is (x, y) inside the rounded rectangle? Unit coordinates, y down. */
function inRoundedRect(
  x: number,
  y: number,
  l: number,
  t: number,
  r: number,
  b: number,
  rad: number,
) {
  if (x < l || x > r || y < t || y > b) return false;
  const cx = Math.min(Math.max(x, l + rad), r - rad);
  const cy = Math.min(Math.max(y, t + rad), b - rad);
  return (x - cx) ** 2 + (y - cy) ** 2 <= rad * rad;
}

function inTriangle(px: number, py: number, a: number[], b: number[], c: number[]) {
  const side = (p: number[], q: number[]) =>
    (px - q[0]!) * (p[1]! - q[1]!) - (p[0]! - q[0]!) * (py - q[1]!);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** One arrow of the sync glyph: an arc from `from` to `to` degrees (y up) with a head at `to`. */
function inArrow(x: number, y: number, from: number, to: number) {
  const [cx, cy, r, stroke] = [0.5, 0.64, 0.19, 0.075];
  const dx = x - cx;
  const dy = cy - y; // flip to y-up for the angle
  const angle = ((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 360;
  const onRing = Math.abs(Math.hypot(dx, dy) - r) <= stroke / 2;
  if (onRing && angle >= from && angle <= to) return true;
  const theta = (to * Math.PI) / 180;
  const end = [cx + r * Math.cos(theta), cy - r * Math.sin(theta)];
  const tangent = [-Math.sin(theta), -Math.cos(theta)]; // counter-clockwise, in y-down coordinates
  const normal = [Math.cos(theta), -Math.sin(theta)];
  const [h, w] = [0.12, 0.1];
  const tip = [end[0]! + tangent[0]! * h, end[1]! + tangent[1]! * h];
  const left = [end[0]! + normal[0]! * w, end[1]! + normal[1]! * w];
  const right = [end[0]! - normal[0]! * w, end[1]! - normal[1]! * w];
  return inTriangle(x, y, tip, left, right);
}

/** The glyph as a function of a point in the unit square. */
function paint(x: number, y: number): Rgba {
  if (!inRoundedRect(x, y, 0.06, 0.1, 0.94, 0.94, 0.14)) return transparent;
  const border = 0.065;
  const inBody = inRoundedRect(x, y, 0.06 + border, 0.33, 0.94 - border, 0.94 - border, 0.08);
  if (!inBody) return brand; // frame and the calendar's header band
  if (inArrow(x, y, 25, 150) || inArrow(x, y, 205, 330)) return brand;
  return paper;
}

export function renderIcon(size: number): PNG {
  const png = new PNG({ width: size, height: size });
  const grid = size <= 32 ? 8 : 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const c = paint((px + (sx + 0.5) / grid) / size, (py + (sy + 0.5) / grid) / size);
          // Premultiply so transparent samples do not darken edges.
          for (let i = 0; i < 3; i++) sum[i]! += (c[i]! * c[3]) / 255;
          sum[3]! += c[3];
        }
      }
      const n = grid * grid;
      const alpha = sum[3]! / n;
      const offset = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) {
        png.data[offset + i] = alpha > 0 ? Math.round((sum[i]! / n / alpha) * 255) : 0;
      }
      png.data[offset + 3] = Math.round(alpha);
    }
  }
  return png;
}

if (require.main === module) {
  const dir = path.join(__dirname, '..', 'assets');
  for (const size of iconSizes) {
    writeFileSync(path.join(dir, `icon-${size}.png`), PNG.sync.write(renderIcon(size)));
  }
  console.log(`Wrote ${iconSizes.length} icons to ${dir}`);
}
