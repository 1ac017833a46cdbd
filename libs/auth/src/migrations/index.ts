import { CreateUsers1732000001000 } from './1732000001000-create-users.js';

export const authMigrations = [CreateUsers1732000001000];
