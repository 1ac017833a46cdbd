export const storageMigrations: (new () => unknown)[] = [];
