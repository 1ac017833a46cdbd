import sharp from 'sharp';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InvalidImage } from './invalid-image.js';
import { stripImageMetadata } from './strip-image-metadata.js';
import { exifHasGps, plainPng, sidewaysPhotoWithGps, TEXT_FILE } from './test-fixtures/images.js';

/**
 * A decompression bomb in miniature: a small PNG whose header claims width × height pixels (IHDR
 * rewritten with a valid CRC), which a decoder would try to allocate.
 */
async function withClaimedSize(png: Buffer, width: number, height: number): Promise<Buffer> {
  const bomb = Buffer.from(png);
  // Signature (8) + IHDR length (4) + "IHDR" (4), then width and height; the CRC follows the 13 data bytes.
  bomb.writeUInt32BE(width, 16);
  bomb.writeUInt32BE(height, 20);
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
  return bomb;
}

async function rejection(bytes: Buffer): Promise<unknown> {
  return stripImageMetadata(bytes, 'jpeg').then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('stripImageMetadata', () => {
  it('drops EXIF (GPS included) and turns the pixels upright', async () => {
    const photo = await sidewaysPhotoWithGps();
    expect(exifHasGps((await sharp(photo).metadata()).exif)).toBe(true);
    const clean = await stripImageMetadata(photo, 'jpeg');
    const metadata = await sharp(clean.image).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 20, height: 40 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(clean).toMatchObject({ detectedFormat: 'jpeg', width: 20, height: 40 });
    expect((await sharp(clean.thumbnail).metadata()).exif).toBeUndefined();
  });

  it('decodes by the real type and flattens transparency onto white for JPEG output', async () => {
    const transparent = await sharp({
      create: { width: 4, height: 4, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const clean = await stripImageMetadata(transparent, 'jpeg');
    expect(clean.detectedFormat).toBe('png');
    const { data } = await sharp(clean.image).raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(...data)).toBeGreaterThan(240);
  });

  it('keeps a PNG a PNG when that is the format asked for', async () => {
    const clean = await stripImageMetadata(await plainPng(), 'png');
    expect((await sharp(clean.image).metadata()).format).toBe('png');
  });

  it('rejects text, SVG and GIF whatever they were declared as', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>',
    );
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    for (const [bytes, reason] of [
      [TEXT_FILE, /not an image/],
      [svg, /svg images are not accepted/],
      [gif, /gif images are not accepted/],
    ] as const) {
      const error = await rejection(bytes);
      expect(error).toBeInstanceOf(InvalidImage);
      expect((error as Error).message).toMatch(reason);
    }
  });

  it('rejects a truncated image, and a decompression bomb before decoding it', async () => {
    const photo = await sidewaysPhotoWithGps();
    expect(await rejection(photo.subarray(0, photo.length / 2))).toBeInstanceOf(InvalidImage);
    const error = await rejection(await withClaimedSize(await plainPng(), 20_000, 20_000));
    expect(error).toBeInstanceOf(InvalidImage);
    expect((error as Error).message).toMatch(/pixel limit/i);
  });
});
