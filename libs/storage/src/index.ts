export { StorageDataModule } from './storage-data.module.js';
export { ImageUploads } from './image-uploads.js';
export { InvalidImage } from './worker/invalid-image.js';
export type { OwnedUpload, ResolveOwnedUploadCommand } from './resolve-owned-upload.js';
export type { VerifiedImage } from './load-verified-image.js';
export {
  IMAGE_CHANNELS,
  ACCEPTED_CONTENT_TYPES,
  MAX_IMAGE_BYTES,
  type ImageChannel,
} from './image-formats.js';
