import { inflateSync } from "node:zlib";

export type Image = { width: number; height: number; channels: number; data: Uint8Array };

/**
 * Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are), enough
 * to inspect pixels in tests without an image library.
 */
export function decodePng(png: Buffer): Image {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const bitDepth = body[8];
      const colorType = body[9];
      const interlace = body[12];
      if (bitDepth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6)) {
        throw new Error(`unsupported PNG: depth ${bitDepth}, colour ${colorType}`);
      }
      channels = colorType === 6 ? 4 : 3;
    } else if (type === "IDAT") {
      idat.push(body);
    } else if (type === "IEND") {
      break;
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? data[out + i - channels]! : 0;
      const up = y > 0 ? data[out - stride + i]! : 0;
      const upLeft = y > 0 && i >= channels ? data[out - stride + i - channels]! : 0;
      const x = line[i]!;
      let value: number;
      switch (filter) {
        case 0:
          value = x;
          break;
        case 1:
          value = x + left;
          break;
        case 2:
          value = x + up;
          break;
        case 3:
          value = x + ((left + up) >> 1);
          break;
        case 4:
          value = x + paeth(left, up, upLeft);
          break;
        default:
          throw new Error(`bad PNG filter ${filter}`);
      }
      data[out + i] = value & 0xff;
    }
  }
  return { width, height, channels, data };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/** Pixels within `radius` of (cx, cy) whose colour is within `tolerance` of `rgb` per channel. */
export function countNear(
  image: Image,
  cx: number,
  cy: number,
  radius: number,
  rgb: [number, number, number],
  tolerance: number,
): number {
  let count = 0;
  for (let y = Math.max(0, cy - radius); y < Math.min(image.height, cy + radius); y++) {
    for (let x = Math.max(0, cx - radius); x < Math.min(image.width, cx + radius); x++) {
      const i = (y * image.width + x) * image.channels;
      if (
        Math.abs(image.data[i]! - rgb[0]) <= tolerance &&
        Math.abs(image.data[i + 1]! - rgb[1]) <= tolerance &&
        Math.abs(image.data[i + 2]! - rgb[2]) <= tolerance
      ) {
        count += 1;
      }
    }
  }
  return count;
}
