import { CreateLocationSites1732000006000 } from './1732000006000-create-location-sites.js';
import { NearbySitesFunction1732000006001 } from './1732000006001-nearby-sites-function.js';

export const locationMigrations = [CreateLocationSites1732000006000, NearbySitesFunction1732000006001];
