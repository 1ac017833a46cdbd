import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageEnv, startBuiltApp, type BuiltApp } from '../../bench/support/built-app.js';
import { benchKeys, insertUsers } from '../../bench/support/callers.js';

/*
 * The image runs `dist/bundle/main.js` (rolldown.config.mjs: minified and ASCII-escaped, TypeORM's
 * unused drivers left out, two `createRequire` loads rewritten into bundled requires, node:http required
 * rather than imported, Nest's logger date formatter made on first use), while `npm start` and every other
 * test run the TypeScript sources. This builds it as the image does (`npm run build`), boots it as a pod
 * does (the Dockerfile's command, NODE_OPTIONS and GLIBC_TUNABLES, embedded defaults, every domain and
 * worker) beside the tsc output it is made from, and checks that the two serve the same API.
 */
describe('the production bundle the image runs', () => {
  const keys = benchKeys();
  const stateDirs: string[] = [];
  let bundled: BuiltApp;
  let compiled: BuiltApp;

  const boot = (entry?: string): Promise<BuiltApp> => {
    const stateDir = mkdtempSync(join(tmpdir(), 'eco2-bundle-'));
    stateDirs.push(stateDir);
    return startBuiltApp({ ...keys.env, STATE_DIR: stateDir }, { entry, readyTimeoutMs: 90_000 });
  };

  beforeAll(async () => {
    bundled = await boot();
    compiled = await boot('dist/apps/main.js');
  }, 300_000);

  afterAll(async () => {
    await Promise.all([bundled?.stop(), compiled?.stop()]);
    for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the same OpenAPI document as the compiled sources (class names survive minifying)', async () => {
    const documentOf = async (app: BuiltApp): Promise<unknown> => {
      const response = await fetch(`${app.baseUrl}/api/docs-json`);
      expect(response.status).toBe(200);
      return response.json();
    };
    const [fromBundle, fromSources] = await Promise.all([documentOf(bundled), documentOf(compiled)]);
    expect(Object.keys((fromBundle as { paths: object }).paths).length).toBeGreaterThan(20);
    expect(fromBundle).toEqual(fromSources);
  });

  it('answers an authenticated database read and a static route as the compiled sources do', async () => {
    const [userId] = await insertUsers({ stateDir: stateDirs[0] }, 1);
    const headers = { authorization: `Bearer ${keys.sign(userId)}` };
    const me = await fetch(`${bundled.baseUrl}/api/v1/users/me`, { headers });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: userId });
    const catalogOf = async (app: BuiltApp): Promise<string> => {
      const response = await fetch(`${app.baseUrl}/api/v1/character/catalog`, { headers });
      expect(response.status).toBe(200);
      return response.text();
    };
    const [compiledUser] = await insertUsers({ stateDir: stateDirs[1] }, 1);
    const compiledCatalog = await fetch(`${compiled.baseUrl}/api/v1/character/catalog`, {
      headers: { authorization: `Bearer ${keys.sign(compiledUser)}` },
    }).then((r) => r.text());
    expect(await catalogOf(bundled)).toBe(compiledCatalog);
  });

  it('answers bad input with the error envelope, not a 500', async () => {
    const response = await fetch(`${bundled.baseUrl}/api/v1/users/me`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED', request_id: expect.any(String) });
  });

  it("sets GLIBC_TUNABLES the image's glibc applies: each one a tunable it knows, at the value given", () => {
    const tunables = imageEnv('GLIBC_TUNABLES');
    // glibc ignores a misspelt tunable without a word: its dynamic loader (the one the booted process
    // mapped) lists the values it would apply with this setting.
    const loader = readFileSync(`/proc/${bundled.pid}/maps`, 'utf8').match(
      /\S*\/ld-linux[^\s/]*\.so[.\d]*$/m,
    )![0];
    const listed = execFileSync(loader, ['--list-tunables'], {
      env: { GLIBC_TUNABLES: tunables },
      encoding: 'utf8',
    });
    const pairs = tunables.split(':').map((pair) => pair.split('='));
    expect(pairs.length).toBeGreaterThan(0);
    for (const [name, value] of pairs)
      expect(listed).toMatch(
        new RegExp(`^${name.replaceAll('.', '\\.')}: 0x${Number(value).toString(16)} `, 'm'),
      );
  });
});
