// The auth lib's test entry (eslint-rules/lib-boundaries.js): helpers other libs' tests may import.
// Never imported by runtime code, and left out of the build (tsconfig.build.json).
export * from './test-support/sessions.js';
