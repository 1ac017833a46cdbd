export const chatMigrations: (new () => unknown)[] = [];
