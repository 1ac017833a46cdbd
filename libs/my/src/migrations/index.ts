export const myMigrations: (new () => unknown)[] = [];
