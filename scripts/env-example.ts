import { writeFileSync } from 'node:fs';
import { APP_CATALOG } from '../apps/catalog.js';
import { envSpecsOf, renderEnvExample } from '../libs/platform/src/index.js';

writeFileSync(new URL('../.env.example', import.meta.url), renderEnvExample(envSpecsOf(APP_CATALOG)));
