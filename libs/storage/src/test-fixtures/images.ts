import sharp from 'sharp';

/**
 * Test images generated at test time (no binaries in the repository). The photo is 40×20 stored
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
