import { Injectable } from '@nestjs/common';
import { NotFound } from '#platform';
import type { LocationDetailDto } from '../dto/location-detail.dto.js';
import { RecyclingSiteRepository } from '../recycling-site.repository.js';

/** `GET /centers/{id}`: everything we know about one active site. */
@Injectable()
export class CenterDetail {
  constructor(private readonly sites: RecyclingSiteRepository) {}

  async execute(id: number): Promise<LocationDetailDto> {
    const site = await this.sites.findActiveById(id);
    if (!site) throw new NotFound(`No location ${id}`);
    return {
      id: site.id,
      name: site.name,
      source: site.source,
      road_address: site.roadAddress,
      lot_address: site.lotAddress,
      latitude: site.latitude,
      longitude: site.longitude,
      store_category: site.storeCategory,
      pickup_categories: site.pickupCategories.split(','),
      phone: site.phone,
      place_url: site.homepageUrl,
      kakao_place_id: null,
      collection_items: site.collectionItems,
      introduction: site.introduction,
      opening_hours: site.openingHours,
    };
  }
}
