import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The lib boundary rule (eslint-rules/lib-boundaries.js) is live in the repository's ESLint config:
 * fixtures placed in libs/ with and without violations, linted exactly as `npm run lint` lints.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('lint: lib boundaries', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  const problems = async (file: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
  };

  it('fails a deep import into another lib, at any folder depth', async () => {
    expect(
      await problems(
        'libs/my/src/fixture.ts',
        "export { ScanHistoryModule } from '../../scan/src/scan-history.module.js';\n",
      ),
    ).toEqual([
      expect.stringMatching(/^boundaries\/lib-boundaries: .*import it through libs\/scan\/src\/index\.ts/),
    ]);
    expect(
      await problems(
        'libs/platform/src/kv/fixture.ts',
        "import { Chat } from '../../../chat/src/chat.js';\nexport { Chat };\n",
      ),
    ).toEqual([expect.stringContaining('libs/chat/src/index.ts')]);
  });

  it('fails an import of apps/ from libs/', async () => {
    expect(
      await problems(
        'libs/platform/src/fixture.ts',
        "export { APP_CATALOG } from '../../../apps/catalog.js';\n",
      ),
    ).toEqual([expect.stringMatching(/^boundaries\/lib-boundaries: .*imports apps\/ from libs\//)]);
  });

  it("lets test files, and only them, use another lib's test entry", async () => {
    const code = "export { plainPng } from '../../storage/src/testing.js';\n";
    expect(await problems('libs/scan/src/fixture.e2e-spec.ts', code)).toEqual([]);
    expect(await problems('libs/scan/src/fixture.ts', code)).toEqual([
      expect.stringContaining("libs/storage's test entry: only test files import it"),
    ]);
  });

  it("accepts another lib's index, the lib's own files, and apps/ importing libs", async () => {
    expect(
      await problems(
        'libs/my/src/fixture.ts',
        "export { ScanHistoryModule } from '../../scan/src/index.js';\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'libs/scan/src/fixture.ts',
        "export { ScanHistoryModule } from './scan-history.module.js';\n",
      ),
    ).toEqual([]);
    expect(
      await problems('apps/fixture.ts', "export { InfoModule } from '../libs/info/src/info.module.js';\n"),
    ).toEqual([]);
  });
});
