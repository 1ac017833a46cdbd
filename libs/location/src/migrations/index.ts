import { CreateLocationSites1732000006000 } from './1732000006000-create-location-sites.js';

export const locationMigrations = [CreateLocationSites1732000006000];
