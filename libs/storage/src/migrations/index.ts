import { CreateImageUploads1732000004000 } from './1732000004000-create-image-uploads.js';
import { AddUploadCheckedAt1732000004001 } from './1732000004001-add-upload-checked-at.js';

export const storageMigrations = [CreateImageUploads1732000004000, AddUploadCheckedAt1732000004001];
