import { CreateImageUploads1732000004000 } from './1732000004000-create-image-uploads.js';

export const storageMigrations = [CreateImageUploads1732000004000];
