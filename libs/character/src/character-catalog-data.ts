import { readFileSync } from 'node:fs';
import { dataPath } from '#platform';

export interface CatalogEntry {
  code: string;
  name: string;
  matchLabel: string;
  typeLabel: string;
  dialog: string;
  cdnCode: string;
  isDefault: boolean;
}

interface DerivedCharacter {
  code: string;
  name: string;
  match_label: string;
  type_label: string;
  dialog: string;
  cdn_code: string;
  is_default: boolean;
}

export const DEFAULT_CHARACTER_CODE = 'char-eco';

/** The 13 characters shipped with the product (data/characters, joined from the reference's CSV and codes). */
export function loadCatalogData(): CatalogEntry[] {
  const file = JSON.parse(readFileSync(dataPath('characters', 'characters.derived.json'), 'utf8')) as {
    characters: DerivedCharacter[];
  };
  return file.characters.map((c) => ({
    code: c.code,
    name: c.name.trim(),
    matchLabel: c.match_label.trim(),
    typeLabel: c.type_label.trim(),
    dialog: c.dialog.trim(),
    cdnCode: c.cdn_code,
    isDefault: c.is_default,
  }));
}
