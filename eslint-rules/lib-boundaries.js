import path from 'node:path';

/**
 * Boundaries between the libs (docs/ARCHITECTURE.md, "Boundaries"):
 * - code in `libs/<lib>` imports another lib only through its entry, `libs/<other>/src/index.ts`;
 *   test files (`*.spec.ts`, `*.e2e-spec.ts`, `test-support/`) may also use its test entry,
 *   `libs/<other>/src/testing.ts` (shared fixtures and helpers, never part of the build);
 * - nothing in `libs/` imports `apps/` (the process entries compose the libs, not the other way).
 * Relative specifiers are resolved, so the rule holds at any folder depth.
 */
const ROOT = path.dirname(path.dirname(new URL(import.meta.url).pathname));

const isTestFile = (file) => /\.(e2e-)?spec\.ts$/.test(file) || file.split(path.sep).includes('test-support');

/** @type {import('eslint').Rule.RuleModule} */
const libBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'libs import other libs only through their index.ts, and never apps/' },
    messages: {
      deepImport:
        "'{{source}}' reaches into libs/{{lib}}: import it through libs/{{lib}}/src/index.ts{{testing}}",
      testingEntry: "'{{source}}' is libs/{{lib}}'s test entry: only test files import it",
      appsImport:
        "'{{source}}' imports apps/ from libs/: the process entries compose the libs, not the reverse",
    },
    schema: [],
  },
  create(context) {
    const file = path.relative(ROOT, context.filename);
    const [top, ownLib] = file.split(path.sep);
    if (top !== 'libs') return {};
    const testFile = isTestFile(file);

    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path
        .relative(ROOT, path.resolve(path.dirname(context.filename), source))
        .split(path.sep);
      if (target[0] === 'apps') {
        context.report({ node: node.source, messageId: 'appsImport', data: { source } });
        return;
      }
      if (target[0] !== 'libs' || target[1] === ownLib) return;
      const lib = target[1];
      const entry = target
        .slice(2)
        .join('/')
        .replace(/\.(js|ts)$/, '');
      if (entry === 'src/index') return;
      if (entry === 'src/testing') {
        if (!testFile)
          context.report({ node: node.source, messageId: 'testingEntry', data: { source, lib } });
        return;
      }
      context.report({
        node: node.source,
        messageId: 'deepImport',
        data: { source, lib, testing: testFile ? ' (or src/testing.ts for test helpers)' : '' },
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'lib-boundaries': libBoundaries } };
