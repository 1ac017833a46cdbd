import { Injectable } from '@nestjs/common';
import type { ScanCategoriesDto } from '../dto/scan-job-status.dto.js';
import { RECYCLABLE, UNCLASSIFIED, WasteTaxonomy } from '#waste';

/** `GET /categories`: the taxonomy's majors and the 12 recyclable middles with example items. */
@Injectable()
export class ListScanCategories {
  constructor(private readonly taxonomy: WasteTaxonomy) {}

  run(): ScanCategoriesDto {
    const majors = this.taxonomy.majors.filter((m) => m !== UNCLASSIFIED);
    const middle = (name: string, items: string[]) => ({ name, examples: items });
    return {
      majors,
      recyclable: this.taxonomy.recyclableMiddles.map((m) => middle(m.middle, m.items)),
      categories: majors.map((major) => ({
        name: major,
        recyclable: major === RECYCLABLE,
        middle_categories: this.taxonomy.middles
          .filter((m) => m.major === major)
          .map((m) => middle(m.middle, m.items)),
      })),
    };
  }
}
