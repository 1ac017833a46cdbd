import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '#platform';
import { CharacterCatalog } from './character-catalog.js';
import { CharacterDto } from '../dto/character.dto.js';

@ApiTags('character')
@Public()
@Controller('api/v1/character')
export class CharacterController {
  constructor(private readonly catalog: CharacterCatalog) {}

  @Get('catalog')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOkResponse({ type: CharacterDto, isArray: true })
  list(): Promise<Buffer> {
    // The bytes serialized once (static data): the app's most frequent read skips serialization.
    return this.catalog.listJson();
  }

  @Get('catalog/:code')
  @ApiOkResponse({ type: CharacterDto })
  get(@Param('code') code: string): Promise<CharacterDto> {
    return this.catalog.get(code);
  }
}
