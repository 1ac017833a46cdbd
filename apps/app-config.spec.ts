import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CATALOG } from './catalog.js';
import { envSpecsOf } from '../libs/platform/src/boot/bootstrap.js';
import { AppConfig, ConfigValidationError } from '../libs/platform/src/config/app-config.js';
import { renderEnvExample } from '../libs/platform/src/config/env-schema.js';

const specs = envSpecsOf(APP_CATALOG);

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    AppConfig.load(specs, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

describe('AppConfig', () => {
  it('boots on an empty environment with the embedded defaults', () => {
    const config = AppConfig.load(specs, {});
    expect(config.list('APP_DOMAINS')).toEqual(['all']);
    expect(config.optionalString('DATABASE_URL')).toBeUndefined();
    expect(config.int('PORT')).toBe(3000);
  });

  it('reports every bad variable at once, one message each', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'not a url', COOKIE_SECURE: 'maybe' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT=.*not an integer/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL=<secret>: not an absolute URL/);
    expect(problems.join('\n')).toMatch(/COOKIE_SECURE=.*not a boolean/);
  });

  it('names the valid domains when an unknown one is requested', () => {
    const [problem] = problemsOf({ APP_DOMAINS: 'character,billing' });
    expect(problem).toContain('unknown name(s) billing');
    expect(problem).toContain('valid names: all, auth, my, scan, character, location, info, chat');
  });

  it('gives a list its default when unset, and no items when it is set and empty', () => {
    const unset = AppConfig.load(specs, {}).list('NEWS_FEED_URLS');
    expect(unset.length).toBeGreaterThan(0);
    expect(AppConfig.load(specs, { NEWS_FEED_URLS: '' }).list('NEWS_FEED_URLS')).toEqual([]);
    expect(AppConfig.load(specs, { NEWS_FEED_URLS: '  ' }).list('NEWS_FEED_URLS')).toEqual([]);
    expect(AppConfig.load(specs, { NEWS_FEED_URLS: 'https://a.test/rss' }).list('NEWS_FEED_URLS')).toEqual([
      'https://a.test/rss',
    ]);
    // Without the marker, set-and-empty still means the default.
    expect(AppConfig.load(specs, { APP_DOMAINS: '' }).list('APP_DOMAINS')).toEqual(['all']);
  });

  it('keeps .env.example in sync with the schemas', () => {
    expect(readFileSync(new URL('../.env.example', import.meta.url), 'utf8')).toBe(renderEnvExample(specs));
  });
});
