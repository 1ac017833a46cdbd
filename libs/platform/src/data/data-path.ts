import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let projectRoot: string | undefined;

/**
 * Absolute path of a file in the project's `data/` folder (taxonomy, rules, characters, sites). Found by
 * walking up from this file, so it works from the TypeScript sources, from `dist/` and in the image.
 */
export function dataPath(...segments: string[]): string {
  if (!projectRoot) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'data', 'MANIFEST.md'))) {
      const parent = dirname(dir);
      if (parent === dir) throw new Error('project data/ folder not found');
      dir = parent;
    }
    projectRoot = dir;
  }
  return join(projectRoot, 'data', ...segments);
}
