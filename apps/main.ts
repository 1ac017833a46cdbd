import 'reflect-metadata';
import { bootstrap } from '#platform';
import { APP_CATALOG } from './catalog.js';

// APP_ROLE (default `all`) decides whether this process serves the API, runs the workers, or both.
await bootstrap(APP_CATALOG);
