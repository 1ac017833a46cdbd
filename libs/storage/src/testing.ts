// The storage lib's test entry (eslint-rules/lib-boundaries.js): fixtures other libs' tests may import.
// Never imported by runtime code, and left out of the build (tsconfig.build.json).
export * from './test-fixtures/images.js';
