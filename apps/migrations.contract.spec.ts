import { Logger } from '@nestjs/common';
import { APP_CATALOG } from './catalog.js';
import { envSpecsOf } from '../libs/platform/src/boot/bootstrap.js';
import {
  describeMigrationContract,
  sqliteMigrationFixture,
} from '../libs/platform/src/database/database.contract.js';

Logger.overrideLogger(['error']);

// The embedded driver needs no server; the PostgreSQL half and the cross-driver comparison are in
// postgres-migrations.e2e-spec.ts.
describeMigrationContract('sqlite', APP_CATALOG.migrations, () =>
  sqliteMigrationFixture(envSpecsOf(APP_CATALOG), APP_CATALOG.migrations),
);
