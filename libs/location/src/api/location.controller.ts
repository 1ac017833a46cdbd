import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CenterDetail } from './center-detail.js';
import { CentersQuery } from '../dto/centers-query.dto.js';
import { LocationDetailDto } from '../dto/location-detail.dto.js';
import { LocationEntryDto } from '../dto/location-entry.dto.js';
import { PlaceSuggestionDto } from '../dto/place-suggestion.dto.js';
import { CenterIdParam, SearchQuery, SuggestQuery } from '../dto/search-query.dto.js';
import { NearbyCenters } from './nearby-centers.js';
import { SearchCenters } from './search-centers.js';
import { SuggestPlaces } from './suggest-places.js';

@ApiTags('location')
@ApiBearerAuth()
@Controller('api/v1/locations')
export class LocationController {
  constructor(
    private readonly nearbyCenters: NearbyCenters,
    private readonly centerDetail: CenterDetail,
    private readonly searchCenters: SearchCenters,
    private readonly suggestPlaces: SuggestPlaces,
  ) {}

  @Get('centers')
  @ApiOkResponse({ type: LocationEntryDto, isArray: true })
  centers(@Query() query: CentersQuery): Promise<LocationEntryDto[]> {
    return this.nearbyCenters.execute(query);
  }

  @Get('centers/:id')
  @ApiOkResponse({ type: LocationDetailDto })
  center(@Param() params: CenterIdParam): Promise<LocationDetailDto> {
    return this.centerDetail.execute(params.id);
  }

  @Get('search')
  @ApiOkResponse({ type: LocationEntryDto, isArray: true })
  search(@Query() query: SearchQuery): Promise<LocationEntryDto[]> {
    return this.searchCenters.execute(query);
  }

  @Get('suggest')
  @ApiOkResponse({ type: PlaceSuggestionDto, isArray: true })
  suggest(@Query() query: SuggestQuery): Promise<PlaceSuggestionDto[]> {
    return this.suggestPlaces.execute(query.q);
  }
}
