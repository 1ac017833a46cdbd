import { CreateChatTables1732000008000 } from './1732000008000-create-chat-tables.js';

export const chatMigrations: (new () => unknown)[] = [CreateChatTables1732000008000];
