export const scanMigrations: (new () => unknown)[] = [];
