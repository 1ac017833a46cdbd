export const locationMigrations: (new () => unknown)[] = [];
