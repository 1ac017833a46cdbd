// The production build's second step (`npm run build`: tsc, then this): the compiled app and the
// framework it imports as minified ES modules in dist/bundle, which the image runs. An API pod then loads
// ~3 MB of JavaScript in ~50 files instead of ~9 MB in ~2 600 (docs/PERFORMANCE.md, Pod footprint). `npm start` and the tests run the TypeScript sources and never read this.
import { createRequire } from 'node:module';
import { defineConfig } from 'rolldown';

/** The TypeORM drivers database.module.ts configures; DriverFactory imports the other 15 for nothing. */
const TYPEORM_DRIVERS = new Set(['postgres', 'better-sqlite3']);
const LEFT_OUT = '\0typeorm-driver-left-out:';
/**
 * Files that load a package with `createRequire(import.meta.url)(name)`, which a bundler cannot see: left
 * as they are, they load a second, unbundled copy of TypeORM (from @nestjs/typeorm's compatibility
 * shim) and of @nestjs/swagger with Nest and es-toolkit (from @nestjs/terminus) from node_modules.
 */
const RUNTIME_REQUIRES = [
  '/@nestjs/typeorm/dist/common/typeorm-compat.js',
  '/@nestjs/terminus/dist/health-check/health-check.decorator.js',
];

/**
 * Nest's two loggers build an `Intl.DateTimeFormat` when their module loads, for the timestamp of a
 * console line. V8's first DateTimeFormat lists every locale ICU has (~960 resource bundles): ~45 ms of
 * boot and ~8 MB of RSS (ICU data and code pages) in every pod, whose logs go through pino and never
 * print that timestamp (docs/PERFORMANCE.md, Pod footprint). Here the formatter is made on first use.
 */
const EAGER_DATE_FORMATTERS = [
  '/@nestjs/common/services/console-logger.service.js',
  '/@nestjs/common/services/logger.service.js',
];
const EAGER_DATE_FORMATTER = 'const dateTimeFormatter = new Intl.DateTimeFormat(';
const DATE_FORMATTER_ON_FIRST_USE =
  'const dateTimeFormatter = ((...options) => { let formatter; return { format: (date) => (formatter ??= new Intl.DateTimeFormat(...options)).format(date) }; })(';

/**
 * `node:http` as CommonJS. Node builds the ES-module view of a built-in by reading every export, and
 * http's `WebSocket`, `CloseEvent` and `MessageEvent` are getters that load undici and compile its
 * WebAssembly HTTP parser: ~60 ms of boot and ~10 MB of RSS in every pod for a WebSocket client no pod
 * uses. `require()` returns the module itself and leaves those getters alone until read; the module
 * below re-exports every other export (`globalAgent` and `maxHeaderSize` are getters too, of plain values).
 */
const HTTP_BY_REQUIRE = '\0node-http-by-require';
const UNDICI_GETTERS = new Set(['WebSocket', 'CloseEvent', 'MessageEvent']);
const HTTP_EXPORTS = Object.keys(createRequire(import.meta.url)('node:http')).filter(
  (name) => !UNDICI_GETTERS.has(name),
);

export default defineConfig({
  input: { main: 'dist/apps/main.js' },
  platform: 'node',
  external: [
    // every built-in but http (HTTP_BY_REQUIRE)
    /^node:(?!http$)/,
    // native addons, loaded from their own folders
    'better-sqlite3',
    'sharp',
    // Emscripten output with its WebAssembly inlined (2 MB), loaded on the first HEIC image only
    'heic-decode',
  ],
  plugins: [
    {
      name: 'typeorm-unused-drivers',
      resolveId(source, importer) {
        if (!importer?.endsWith('/typeorm/driver/DriverFactory.js')) return null;
        const [, dir, name] = source.split('/');
        return name?.endsWith('Driver') && !TYPEORM_DRIVERS.has(dir) ? `${LEFT_OUT}${dir}/${name}` : null;
      },
      load(id) {
        if (!id.startsWith(LEFT_OUT)) return null;
        const [dir, name] = id.slice(LEFT_OUT.length).split('/');
        return `exports.${name} = class ${name} {
  constructor() {
    throw new Error('the TypeORM driver ${dir} is left out of the production build (rolldown.config.mjs)');
  }
};\n`;
      },
    },
    {
      name: 'http-by-require',
      resolveId: (source) => (source === 'http' || source === 'node:http' ? HTTP_BY_REQUIRE : null),
      load(id) {
        if (id !== HTTP_BY_REQUIRE) return null;
        return `import { createRequire } from 'node:module';
const http = createRequire(import.meta.url)('node:http');
export default http;
export const { ${HTTP_EXPORTS.join(', ')} } = http;\n`;
      },
    },
    {
      name: 'date-formatter-on-first-use',
      transform(code, id) {
        if (!EAGER_DATE_FORMATTERS.some((file) => id.endsWith(file))) return null;
        const uses = code.match(/dateTimeFormatter\.?\w*/g) ?? [];
        if (
          !code.includes(EAGER_DATE_FORMATTER) ||
          uses.some((use) => !['dateTimeFormatter', 'dateTimeFormatter.format'].includes(use))
        )
          throw new Error(
            `${id} no longer builds its DateTimeFormat as expected: update rolldown.config.mjs`,
          );
        return code.replace(EAGER_DATE_FORMATTER, DATE_FORMATTER_ON_FIRST_USE);
      },
    },
    {
      name: 'bundle-runtime-requires',
      transform(code, id) {
        if (!RUNTIME_REQUIRES.some((file) => id.endsWith(file))) return null;
        const declaration = /const (\w+) = createRequire\(import\.meta\.url\);/;
        const name = declaration.exec(code)?.[1];
        if (!name) throw new Error(`${id} no longer uses createRequire: update rolldown.config.mjs`);
        // a plain require() call, which the bundler resolves and inlines like an import
        return code.replace(declaration, '').replaceAll(`${name}(`, 'require(');
      },
    },
  ],
  output: {
    dir: 'dist/bundle',
    cleanDir: true,
    format: 'esm',
    minify: true,
    // Nest and TypeORM read class names (DI tokens in messages, OpenAPI schema names, table names)
    keepNames: true,
    // Escaped, so that V8 holds each file's source as one byte per character: one non-ASCII character
    // (a Korean message, an ellipsis) makes it keep the whole file two bytes per character (~2.5 MB
    // more heap in a pod)
    charset: 'ascii',
  },
  // optional peers of Nest and Fastify that this app never loads (@fastify/view, class-transformer/storage…)
  onwarn(warning, warn) {
    if (warning.code !== 'UNRESOLVED_IMPORT') warn(warning);
  },
});
