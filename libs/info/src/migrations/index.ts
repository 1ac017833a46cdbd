export const infoMigrations: (new () => unknown)[] = [];
