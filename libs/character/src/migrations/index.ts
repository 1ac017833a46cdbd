import { CreateCharacters1732000002000 } from './1732000002000-create-characters.js';

export const characterMigrations = [CreateCharacters1732000002000];
