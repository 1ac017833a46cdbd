import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ImportSites } from './import-sites.js';
import { InMemorySiteIndex } from './in-memory-site-index.js';
import { NearbySiteIndex } from './nearby-site-index.js';
import { PostgresSiteIndex } from './postgres-site-index.js';
import { RecyclingSite } from '../recycling-site.entity.js';
import { RecyclingSiteRepository } from '../recycling-site.repository.js';
import { SiteImport } from '../site-import.entity.js';

/** Stored sites, the spatial index and the import, without routes: what the import command boots. */
@Module({
  imports: [TypeOrmModule.forFeature([RecyclingSite, SiteImport])],
  providers: [
    RecyclingSiteRepository,
    InMemorySiteIndex,
    PostgresSiteIndex,
    {
      provide: NearbySiteIndex,
      inject: [DataSource, InMemorySiteIndex, PostgresSiteIndex],
      useFactory: (dataSource: DataSource, inMemory: InMemorySiteIndex, postgres: PostgresSiteIndex) =>
        dataSource.options.type === 'postgres' ? postgres : inMemory,
    },
    ImportSites,
  ],
  exports: [RecyclingSiteRepository, NearbySiteIndex, ImportSites],
})
export class LocationSitesModule {}
