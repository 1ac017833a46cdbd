import { CreateUsers1732000001000 } from './1732000001000-create-users.js';
import { CreateTokenFamiliesAndLoginAudits1732000001001 } from './1732000001001-create-token-families-and-login-audits.js';

export const authMigrations = [CreateUsers1732000001000, CreateTokenFamiliesAndLoginAudits1732000001001];
