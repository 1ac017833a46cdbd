import sharp from 'sharp';
import { crc32 } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { heifDeclaredSize } from './heif-dimensions.js';
import { InvalidImage } from './invalid-image.js';
import { hevcDecoder, stripImageMetadata } from './strip-image-metadata.js';
import {
  exifHasGps,
  heicPhotoWithGps,
  plainPng,
  sidewaysPhotoWithGps,
  TEXT_FILE,
} from '../test-fixtures/images.js';

/** The HEIC photo with every `ispe` box (declared image size) rewritten to width × height. */
function heicClaiming(width: number, height: number): Buffer {
  const heic = Buffer.from(heicPhotoWithGps());
  let patched = 0;
  for (let at = heic.indexOf('ispe'); at >= 0; at = heic.indexOf('ispe', at + 4)) {
    // "ispe", then version/flags (4), width (4), height (4).
    heic.writeUInt32BE(width, at + 8);
    heic.writeUInt32BE(height, at + 12);
    patched++;
  }
  expect(patched).toBeGreaterThan(0);
  return heic;
}

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

  describe('HEIC (iPhone photos, HEVC)', () => {
    it('reads the declared size from the ispe box without decoding', () => {
      expect(heifDeclaredSize(heicPhotoWithGps())).toEqual({ width: 64, height: 48 });
      expect(heifDeclaredSize(heicClaiming(12_000, 9_000))).toEqual({ width: 12_000, height: 9_000 });
      expect(heifDeclaredSize(Buffer.from('not a heif file at all'))).toBeNull();
    });

    it('decodes it, re-encodes it as a JPEG without EXIF, pixels intact', async () => {
      const heic = heicPhotoWithGps();
      const original = await sharp(heic).metadata();
      expect(original).toMatchObject({ format: 'heif', compression: 'hevc' });
      expect(exifHasGps(original.exif)).toBe(true);

      const clean = await stripImageMetadata(heic, 'jpeg');
      expect(clean).toMatchObject({ detectedFormat: 'heif', width: 64, height: 48 });
      const served = await sharp(clean.image).metadata();
      expect(served).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
      expect(served.exif).toBeUndefined();
      const pixel = async (x: number, y: number) =>
        (await sharp(clean.image).extract({ left: x, top: y, width: 1, height: 1 }).raw().toBuffer()).toJSON()
          .data;
      const near = (rgb: number[], expected: number[]) => rgb.every((v, i) => Math.abs(v - expected[i]) < 24);
      expect(near(await pixel(8, 24), [0xd6, 0x28, 0x28])).toBe(true);
      expect(near(await pixel(56, 24), [0x1d, 0x35, 0x57])).toBe(true);
      expect((await sharp(clean.thumbnail).metadata()).exif).toBeUndefined();
    });

    it('refuses a HEIC that declares more pixels than the limit before decoding it', async () => {
      const decode = vi.spyOn(hevcDecoder, 'decode');
      try {
        const error = await rejection(heicClaiming(10_000, 10_000));
        expect(error).toBeInstanceOf(InvalidImage);
        expect((error as Error).message).toMatch(/pixel limit/);
        expect(decode).not.toHaveBeenCalled();
        // The same file with its true size is decoded (the spy does see calls).
        await stripImageMetadata(heicPhotoWithGps(), 'jpeg');
        expect(decode).toHaveBeenCalledTimes(1);
      } finally {
        decode.mockRestore();
      }
    });

    it('refuses a HEIC that declares no size', async () => {
      const heic = Buffer.from(heicPhotoWithGps());
      for (let at = heic.indexOf('ispe'); at >= 0; at = heic.indexOf('ispe', at))
        heic.write('xxxx', at, 'latin1');
      expect(heifDeclaredSize(heic)).toBeNull();
      const error = await rejection(heic);
      expect(error).toBeInstanceOf(InvalidImage);
      // sharp's own header reader already gives up on it; either way nothing is decoded.
      expect((error as Error).message).toMatch(/not an image|declares no image size/);
    });
  });
});
