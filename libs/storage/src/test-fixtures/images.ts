import { readFileSync } from 'node:fs';
import sharp from 'sharp';

/**
 * An iPhone-style photo: HEIC (HEVC, brand `heic`), 64×48, left half red (#d62828), right half navy
 * (#1d3557), with EXIF holding a GPS position. No npm package encodes HEVC, so it is committed (960
 * bytes), made once with Debian 12's libheif-examples (libheif 1.15.1):
 *   sharp 64×48 #1d3557 + 32×48 #d62828 at the left, JPEG q95, EXIF Make "Eco2 test camera" and the
 *   GPS of sidewaysPhotoWithGps() → src.jpg;  `heif-enc -q 60 -o photo-with-gps.heic src.jpg`
 * (heif-enc carries the JPEG's EXIF over). Generated here, so no third-party license applies.
 */
export function heicPhotoWithGps(): Buffer {
  return readFileSync(new URL('photo-with-gps.heic', import.meta.url));
}

/**
 * The other test images are generated at test time. The photo is 40×20 stored
 * sideways: EXIF orientation 6 says "rotate 90° to view", so upright it is 20×40.
 */
export async function sidewaysPhotoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 20, channels: 3, background: '#3a7d44' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Eco2 test camera' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '37/1 33/1 59/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '126/1 58/1 41/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

export function plainPng(): Promise<Buffer> {
  return sharp({ create: { width: 24, height: 24, channels: 4, background: '#1e90ff80' } })
    .png()
    .toBuffer();
}

export function plainJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 32, channels: 3, background: '#c0ffee' } })
    .jpeg()
    .toBuffer();
}

export const TEXT_FILE = Buffer.from('this is a shopping list, not a photo\nmilk\neggs\n');

/** Whether EXIF (as sharp's `metadata().exif` returns it) holds a GPS IFD (tag 0x8825 in IFD0). */
export function exifHasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.subarray(exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0);
  const little = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (at: number): number => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number): number => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  const entries = u16(ifd0);
  for (let i = 0; i < entries; i++) {
    if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  }
  return false;
}
