import type { default as SharpFactory, Sharp } from 'sharp';
import {
  ACCEPTED_DETECTED_FORMATS,
  MAX_IMAGE_BYTES,
  THUMBNAIL_FORMAT,
  type PublicImageFormat,
} from '../image-formats.js';
import { heifDeclaredSize } from './heif-dimensions.js';
import { InvalidImage } from './invalid-image.js';

/**
 * sharp and libvips load on the first image, not with this module: the API pods that hold the storage
 * services (my, scan, chat) never decode one, and loading them costs ~160 ms, ~30 MB of RSS and four
 * libvips threads (docs/PERFORMANCE.md, Pod footprint).
 */
let loadingSharp: Promise<typeof SharpFactory> | undefined;
const loadSharp = (): Promise<typeof SharpFactory> =>
  (loadingSharp ??= import('sharp').then((module) => module.default));

/** Refuses decompression bombs before decoding; a 48 MP phone photo still passes. */
const MAX_INPUT_PIXELS = 60_000_000;
/** Longest edge we keep: larger photos only cost storage and AI upload time. */
const MAX_EDGE_PIXELS = 4096;
const THUMBNAIL_EDGE_PIXELS = 320;

export interface CleanImage {
  /** Re-encoded pixels only: no EXIF (GPS above all), XMP, IPTC or comments survive. */
  image: Buffer;
  thumbnail: Buffer;
  /** What the bytes really are, by their magic numbers. */
  detectedFormat: string;
  width: number;
  height: number;
}

function encode(pipeline: Sharp, format: PublicImageFormat): Sharp {
  switch (format) {
    case 'jpeg':
      // JPEG has no alpha: put transparent pixels on white rather than black.
      return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 85, mozjpeg: true });
    case 'png':
      return pipeline.png({ compressionLevel: 9 });
    case 'webp':
      return pipeline.webp({ quality: 85 });
  }
}

interface ImageHeader {
  format: string;
  pixels: number;
  /** For HEIF: `hevc` (HEIC, iPhone photos) or `av1` (AVIF). */
  compression?: string;
}

/**
 * HEVC-coded HEIC, which the prebuilt sharp cannot decode (libheif without libde265), decoded by
 * libheif compiled to WebAssembly (heic-decode), loaded on first use so other pods never pay for it.
 * Only called once the declared size passed the pixel limit. An object so tests can watch it.
 */
export const hevcDecoder = {
  async decode(bytes: Buffer): Promise<Sharp> {
    const { default: decode } = await import('heic-decode');
    const { width, height, data } = await decode({ buffer: bytes });
    const sharp = await loadSharp();
    const rgba = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return sharp(rgba, { raw: { width, height, channels: 4 }, limitInputPixels: MAX_INPUT_PIXELS });
  },
};

/**
 * Reads only the header: the format comes from the magic bytes, never from the declared type. For
 * HEIF the size is the one its `ispe` boxes declare, so the pixel limit holds before any decoding.
 */
async function readHeader(bytes: Buffer): Promise<ImageHeader> {
  const sharp = await loadSharp();
  try {
    const { format, width, height, compression } = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (format === 'heif') {
      const declared = heifDeclaredSize(bytes);
      if (!declared) throw new InvalidImage('the HEIF file declares no image size');
      return { format, pixels: declared.width * declared.height, compression };
    }
    if (format) return { format, pixels: (width ?? 0) * (height ?? 0) };
  } catch (error) {
    if (error instanceof InvalidImage) throw error;
    // Falls through: sharp recognises no image signature in these bytes.
  }
  throw new InvalidImage('the file is not an image');
}

/**
 * Decodes the upload by its real type (never the declared one), applies the EXIF orientation to the
 * pixels, and re-encodes it as `format` without any metadata, plus a thumbnail. Throws InvalidImage for
 * anything that is not an allowed, decodable image within the size limits.
 */
export async function stripImageMetadata(original: Buffer, format: PublicImageFormat): Promise<CleanImage> {
  if (original.length > MAX_IMAGE_BYTES) {
    throw new InvalidImage(`the file is larger than ${MAX_IMAGE_BYTES} bytes`);
  }
  const header = await readHeader(original);
  const detectedFormat = header.format;
  if (!ACCEPTED_DETECTED_FORMATS.has(detectedFormat)) {
    throw new InvalidImage(`${detectedFormat} images are not accepted`);
  }
  if (header.pixels > MAX_INPUT_PIXELS) {
    throw new InvalidImage(`the image has more than ${MAX_INPUT_PIXELS} pixels (pixel limit)`);
  }
  const sharp = await loadSharp();
  try {
    const decoded =
      header.compression === 'hevc'
        ? await hevcDecoder.decode(original)
        : sharp(original, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    // HEIF rotation (irot/imir) is applied by libheif; autoOrient then only acts on EXIF-oriented input.
    const oriented = decoded
      .autoOrient()
      .resize(MAX_EDGE_PIXELS, MAX_EDGE_PIXELS, { fit: 'inside', withoutEnlargement: true });
    const { data: image, info } = await encode(oriented, format).toBuffer({ resolveWithObject: true });
    const thumbnail = await encode(
      sharp(image).resize(THUMBNAIL_EDGE_PIXELS, THUMBNAIL_EDGE_PIXELS, {
        fit: 'inside',
        withoutEnlargement: true,
      }),
      THUMBNAIL_FORMAT,
    ).toBuffer();
    return { image, thumbnail, detectedFormat, width: info.width, height: info.height };
  } catch (error) {
    // Deterministic for these bytes (truncated, corrupt, or a codec we lack).
    throw new InvalidImage(`the image cannot be decoded: ${(error as Error).message}`);
  }
}
