import { ApiProperty } from '@nestjs/swagger';
import type { WeeklyHours } from '../api/opening-hours.js';
import { PICKUP_CATEGORIES, STORE_CATEGORIES } from '../api/site-categories.js';

export class LocationDetailDto {
  @ApiProperty()
  id: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'keco' })
  source: string;

  @ApiProperty({ nullable: true, type: String })
  road_address: string | null;

  @ApiProperty({ nullable: true, type: String })
  lot_address: string | null;

  @ApiProperty()
  latitude: number;

  @ApiProperty()
  longitude: number;

  @ApiProperty({ enum: STORE_CATEGORIES })
  store_category: string;

  @ApiProperty({ enum: PICKUP_CATEGORIES, isArray: true })
  pickup_categories: string[];

  @ApiProperty({ nullable: true, type: String })
  phone: string | null;

  @ApiProperty({ nullable: true, type: String, description: "the site's homepage when the dataset has one" })
  place_url: string | null;

  @ApiProperty({ nullable: true, type: String })
  kakao_place_id: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'collected items as published' })
  collection_items: string | null;

  @ApiProperty({ nullable: true, type: String })
  introduction: string | null;

  @ApiProperty({
    description:
      'per weekday (mon…sun) and public holidays: {text, closed, always_open, ranges: [{start, end}]} or null; closure_note',
    example: {
      mon: {
        text: '09:00 ~ 18:00',
        closed: false,
        always_open: false,
        ranges: [{ start: '09:00', end: '18:00' }],
      },
      sun: { text: '휴무', closed: true, always_open: false, ranges: [] },
      closure_note: '전체휴무',
    },
  })
  opening_hours: WeeklyHours;
}
