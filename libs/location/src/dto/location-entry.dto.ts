import { ApiProperty } from '@nestjs/swagger';
import { PICKUP_CATEGORIES, STORE_CATEGORIES } from '../api/site-categories.js';

export class LocationEntryDto {
  @ApiProperty({ example: 12, description: 'site id; negative for a Kakao place we do not store' })
  id: number;

  @ApiProperty({ example: '고양시청 후문' })
  name: string;

  @ApiProperty({ example: 'keco', description: 'keco, zerowaste or kakao' })
  source: string;

  @ApiProperty({ nullable: true, type: String })
  road_address: string | null;

  @ApiProperty({ example: 37.6581404 })
  latitude: number;

  @ApiProperty({ example: 126.8321693 })
  longitude: number;

  @ApiProperty({ example: 0.42, description: 'great-circle distance from the query point' })
  distance_km: number;

  @ApiProperty({ example: '420m', description: '"<int>m" under 1 km, else "<x.x>km"' })
  distance_text: string;

  @ApiProperty({ enum: STORE_CATEGORIES })
  store_category: string;

  @ApiProperty({ enum: PICKUP_CATEGORIES, isArray: true })
  pickup_categories: string[];

  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: 'open now (Asia/Seoul); null when hours are unknown',
  })
  is_open: boolean | null;

  @ApiProperty({ nullable: true, type: Boolean, description: 'closed all day today' })
  is_holiday: boolean | null;

  @ApiProperty({ nullable: true, type: String, example: '09:00' })
  start_time: string | null;

  @ApiProperty({ nullable: true, type: String, example: '18:00' })
  end_time: string | null;

  @ApiProperty({ nullable: true, type: String, example: '031-8075-2706' })
  phone: string | null;

  @ApiProperty({ nullable: true, type: String })
  place_url: string | null;

  @ApiProperty({ nullable: true, type: String })
  kakao_place_id: string | null;
}
