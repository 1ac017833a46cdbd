import 'reflect-metadata';
import { bootstrap } from '#platform';
import { APP_CATALOG } from '../../catalog.js';

process.env.APP_ROLE ??= 'worker';
await bootstrap(APP_CATALOG);
