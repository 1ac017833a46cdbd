/**
 * The one image (issue 7 acceptance 5, issue 3): the Dockerfile passes dockerfile-utils' linter (there
 * is no Docker engine or hadolint here) and has the shape the manifests rely on: multi-stage, prod-only
 * node_modules, non-root `node`, APP_ROLE=all, port 3000, HEALTHCHECK on /health/live, bundled entry.
 * Also checks that every path it COPYs exists and is not excluded by .dockerignore.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { REPO } from './deploy-helpers.js';

const dockerfile = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');
/** Instructions with continuation lines joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(' ') };
  });
const stages: { name: string; from: string; body: { op: string; args: string }[] }[] = [];
for (const i of instructions) {
  if (i.op === 'FROM') {
    const m = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(i.args) as RegExpExecArray;
    stages.push({ from: m[1], name: m[2] ?? String(stages.length), body: [] });
  } else stages.at(-1)?.body.push(i);
}
const runtime = stages.at(-1)!;

describe('Dockerfile', () => {
  it('passes the dockerfile-utils linter with no diagnostics', () => {
    const diagnostics = validate(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(diagnostics).toEqual([]);
  });

  it('the linter really reports problems', () => {
    expect(validate('FROM node:22\nEXPOSE abc\nCMD ["a"]\nCMD ["b"]\n').length).toBeGreaterThan(0);
  });

  it('is multi-stage on Node 22 LTS bookworm-slim: deps (npm ci --omit=dev), build (npm ci + npm run build), runtime', () => {
    expect(/ARG NODE_IMAGE=node:22-bookworm-slim/.test(dockerfile)).toBe(true);
    const byName = Object.fromEntries(stages.map((s) => [s.name, s]));
    const runs = (s: string): string =>
      byName[s].body
        .filter((i) => i.op === 'RUN')
        .map((i) => i.args)
        .join('\n');
    expect(runs('toolchain')).toMatch(/make/);
    expect(runs('toolchain')).toMatch(/g\+\+/);
    expect(runs('deps')).toMatch(/npm ci --omit=dev/);
    expect(runs('build')).toMatch(/npm ci(?! --omit)/);
    expect(runs('build')).toMatch(/npm run build/);
    expect(runtime.from).toBe('base');
    // the runtime stage compiles nothing and carries no toolchain
    expect(
      runtime.body
        .filter((i) => i.op === 'RUN')
        .map((i) => i.args)
        .join('\n'),
    ).not.toMatch(/apt-get|npm (ci|install)/);
    const copies = runtime.body.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
    expect(copies).toContain('--from=build /app/dist/bundle ./dist/bundle');
    expect(copies).toContain('data ./data');
  });

  it('runs as the non-root user node with APP_ROLE=all on port 3000, health-checked on /health/live', () => {
    const ops = (op: string): string[] => runtime.body.filter((i) => i.op === op).map((i) => i.args);
    expect(ops('USER')).toEqual(['node']);
    expect(ops('ENV').join(' ')).toMatch(/APP_ROLE=all/);
    expect(ops('ENV').join(' ')).toMatch(/NODE_ENV=production/);
    expect(ops('EXPOSE')).toEqual(['3000']);
    expect(ops('HEALTHCHECK').join(' ')).toMatch(/http:\/\/127\.0\.0\.1:.*\/health\/live/);
    expect(ops('HEALTHCHECK').join(' ')).toMatch(/CMD \["node"/);
    // node flags live in NODE_OPTIONS, which the worker pods override; a flag in CMD would beat it
    expect(ops('ENV').join(' ')).toMatch(/NODE_OPTIONS="--max-semi-space-size=4 --v8-pool-size=1"/);
    expect(ops('CMD')).toEqual(['["node", "dist/bundle/main.js"]']);
    // USER comes after the last root-only step
    const userAt = runtime.body.findIndex((i) => i.op === 'USER');
    expect(runtime.body.slice(userAt).some((i) => i.op === 'RUN' || i.op === 'COPY')).toBe(false);
  });

  it('every COPY source from the build context exists and is not excluded by .dockerignore', () => {
    const ignore = fs
      .readFileSync(path.join(REPO, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
    for (const must of ['node_modules', 'var', '.git', 'coverage', 'dist']) expect(ignore).toContain(must);
    const sources = stages
      .flatMap((s) => s.body)
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'libs', 'data']));
    const missing = sources.filter((s) => !fs.existsSync(path.join(REPO, s)));
    if (missing.length) console.log(`COPY sources not (yet) in the tree: ${missing.join(', ')}`);
    // apps/ is written concurrently with this test; everything else must exist now
    expect(missing.filter((m) => m !== 'apps')).toEqual([]);
    for (const s of sources) expect(ignore).not.toContain(s);
  });
});
