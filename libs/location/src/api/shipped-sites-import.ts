import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppConfig, dataPath } from '#platform';
import { ImportSites } from './import-sites.js';
import { RecyclingSiteRepository } from '../recycling-site.repository.js';

export const SHIPPED_SITES_FILE = dataPath('locations', 'keco_recycle_compensation_sites.csv');

/**
 * Imports the sites file shipped with the code when that exact file (by hash) was never imported: on
 * the first start, and after a release that ships a newer file. Every other boot costs one indexed
 * query. Concurrent pods serialise on the import lock and re-check inside it, so only one imports.
 */
@Injectable()
export class ShippedSitesImport implements OnApplicationBootstrap {
  private readonly logger = new Logger(ShippedSitesImport.name);

  constructor(
    private readonly importSites: ImportSites,
    private readonly sites: RecyclingSiteRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.bool('LOCATION_IMPORT_SHIPPED_SITES')) return;
    const content = await readFile(SHIPPED_SITES_FILE);
    if (await this.sites.hasImported(createHash('sha256').update(content).digest('hex'))) return;
    try {
      await this.importSites.execute({
        content,
        fileName: basename(SHIPPED_SITES_FILE),
        origin: 'shipped',
        skipIfImported: true,
      });
    } catch (error) {
      // The pod still serves whatever sites are stored; the next boot tries again.
      this.logger.error({ err: error }, 'importing the shipped sites failed');
    }
  }
}
