import 'reflect-metadata';
import { bootstrap } from '../../../libs/platform/src/index.js';
import { APP_CATALOG } from '../../catalog.js';

process.env.APP_ROLE ??= 'worker';
await bootstrap(APP_CATALOG);
