import { MAX_UPLOAD_BYTES } from '#platform';

export const IMAGE_CHANNELS = ['scan', 'chat', 'my'] as const;
export type ImageChannel = (typeof IMAGE_CHANNELS)[number];

export const ACCEPTED_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export type AcceptedContentType = (typeof ACCEPTED_CONTENT_TYPES)[number];

/** The same 10 MiB the local upload route enforces; the storage worker enforces it for S3 uploads. */
export const MAX_IMAGE_BYTES = MAX_UPLOAD_BYTES;

/** What we serve: a format every browser displays. */
export type PublicImageFormat = 'jpeg' | 'png' | 'webp';

interface DeclaredTypeRule {
  /** Extension of the staging object the browser uploads. */
  stagingExtension: string;
  /** Format the storage worker writes for readers (HEIC is re-encoded: most browsers cannot show it). */
  publicFormat: PublicImageFormat;
}

const DECLARED_TYPE_RULES: Record<AcceptedContentType, DeclaredTypeRule> = {
  'image/jpeg': { stagingExtension: 'jpg', publicFormat: 'jpeg' },
  'image/png': { stagingExtension: 'png', publicFormat: 'png' },
  'image/webp': { stagingExtension: 'webp', publicFormat: 'webp' },
  'image/heic': { stagingExtension: 'heic', publicFormat: 'jpeg' },
};

const PUBLIC_FORMATS: Record<PublicImageFormat, { extension: string; mimeType: string }> = {
  jpeg: { extension: 'jpg', mimeType: 'image/jpeg' },
  png: { extension: 'png', mimeType: 'image/png' },
  webp: { extension: 'webp', mimeType: 'image/webp' },
};

/** Formats sharp may report for a real upload (by magic bytes); anything else is rejected. */
export const ACCEPTED_DETECTED_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'heif']);

export const THUMBNAIL_FORMAT: PublicImageFormat = 'webp';

export function publicFormatFor(contentType: AcceptedContentType): PublicImageFormat {
  return DECLARED_TYPE_RULES[contentType].publicFormat;
}

export function mimeTypeOf(format: PublicImageFormat): string {
  return PUBLIC_FORMATS[format].mimeType;
}

export interface ImageKeys {
  /** Private: the browser's PUT lands here; never handed out for reading. */
  staging: string;
  /** Public (`cdn_url`): written only by the storage worker, after the metadata is stripped. */
  public: string;
  thumbnail: string;
}

/**
 * Keys are `{channel}/{random id}.{ext}` (API.md). The upload goes to a separate `incoming/` key so an
 * unprocessed file — GPS tags and all, or not an image at all — is never reachable through `cdn_url`.
 */
export function imageKeys(channel: ImageChannel, id: string, contentType: AcceptedContentType): ImageKeys {
  const rule = DECLARED_TYPE_RULES[contentType];
  return {
    staging: `incoming/${channel}/${id}.${rule.stagingExtension}`,
    public: `${channel}/${id}.${PUBLIC_FORMATS[rule.publicFormat].extension}`,
    thumbnail: `${channel}/thumbs/${id}.${PUBLIC_FORMATS[THUMBNAIL_FORMAT].extension}`,
  };
}
