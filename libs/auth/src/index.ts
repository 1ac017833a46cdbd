export { AuthDataModule } from './auth-data.module.js';
export { UserAccounts, type UserAccount } from './user-accounts.js';
export { UserSessions } from './user-sessions.js';
export { normalizeKoreanPhoneNumber } from './api/korean-phone-number.js';
