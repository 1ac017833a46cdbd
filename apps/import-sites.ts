import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ImportSites } from '../libs/location/src/api/import-sites.js';
import { LocationSitesModule } from '../libs/location/src/api/location-sites.module.js';
import { ClockModule } from '../libs/platform/src/clock/clock.module.js';
import { ConfigModule } from '../libs/platform/src/config/config.module.js';
import { DatabaseModule } from '../libs/platform/src/database/database.module.js';
import { HealthModule } from '../libs/platform/src/health/health.module.js';
import { AppConfig, ConfigValidationError, envSpecsOf } from '#platform';
import { APP_CATALOG } from './catalog.js';

/*
 * `npm run import:sites -- <file.csv>`: imports a KECO sites CSV into the configured database
 * (DATABASE_URL, else the embedded SQLite in STATE_DIR) and prints what changed. Boots only config,
 * the database (migrations included) and the location store: no HTTP, no queues, no key-value store.
 */
@Module({})
class ImportCommandModule {
  static with(config: AppConfig): DynamicModule {
    return {
      module: ImportCommandModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        // DatabaseModule registers its readiness probe there.
        HealthModule,
        DatabaseModule.forRoot(APP_CATALOG.migrations),
        LocationSitesModule,
      ],
    };
  }
}

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npm run import:sites -- <keco-sites.csv>\n');
    return 2;
  }
  let config: AppConfig;
  try {
    config = AppConfig.load(envSpecsOf(APP_CATALOG), process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const content = await readFile(resolve(file));
  const app = await NestFactory.createApplicationContext(ImportCommandModule.with(config), {
    logger: ['error'],
  });
  try {
    const outcome = await app
      .get(ImportSites)
      .execute({ content, fileName: basename(file), origin: 'command' });
    const lines = [
      `${basename(file)}: ${outcome.added} added, ${outcome.updated} updated (${outcome.moved} moved), ` +
        `${outcome.retired} retired, ${outcome.unchanged} unchanged, ${outcome.skipped.length} skipped`,
      ...outcome.corrected.map((r) => `  corrected  serial ${r.sourcePk} "${r.name}": ${r.problem}`),
      ...outcome.skipped.map(
        (r) => `  skipped    serial ${r.sourcePk} "${r.name}" (line ~${r.line}): ${r.problem}`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

process.exitCode = await main();
