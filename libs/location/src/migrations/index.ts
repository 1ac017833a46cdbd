import { CreateLocationSites1732000006000 } from './1732000006000-create-location-sites.js';
import { NearbySitesFunction1732000006001 } from './1732000006001-nearby-sites-function.js';
import { NearbySitesLeanerWalk1732000006002 } from './1732000006002-nearby-sites-leaner-walk.js';
import { NearbySitesAsJson1732000006003 } from './1732000006003-nearby-sites-as-json.js';

export const locationMigrations = [
  CreateLocationSites1732000006000,
  NearbySitesFunction1732000006001,
  NearbySitesLeanerWalk1732000006002,
  NearbySitesAsJson1732000006003,
];
