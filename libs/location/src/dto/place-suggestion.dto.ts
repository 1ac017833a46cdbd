import { ApiProperty } from '@nestjs/swagger';

export class PlaceSuggestionDto {
  @ApiProperty({ example: '고양시청 후문' })
  place_name: string;

  @ApiProperty({ nullable: true, type: String })
  address: string | null;

  @ApiProperty()
  latitude: number;

  @ApiProperty()
  longitude: number;

  @ApiProperty({ nullable: true, type: String })
  place_url: string | null;
}
