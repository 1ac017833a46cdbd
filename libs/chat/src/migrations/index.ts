import { CreateChatTables1732000008000 } from './1732000008000-create-chat-tables.js';
import { AddChatSummary1732000008001 } from './1732000008001-add-chat-summary.js';

export const chatMigrations: (new () => unknown)[] = [
  CreateChatTables1732000008000,
  AddChatSummary1732000008001,
];
