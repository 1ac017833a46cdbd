export { CharacterDataModule } from './character-data.module.js';
export { CharacterCatalog } from './api/character-catalog.js';
export { CharacterOwnerships, type GrantOutcome, type OwnedCharacter } from './character-ownerships.js';
export type { Character } from './character.entity.js';
export { CharacterDto } from './dto/character.dto.js';
export { DEFAULT_CHARACTER_CODE } from './character-catalog-data.js';
