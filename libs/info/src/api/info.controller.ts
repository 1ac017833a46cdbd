import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '#platform';
import { GuideDto, GuideListDto } from '../dto/guide.dto.js';
import { ItemSearchQueryDto, ItemSearchResponseDto } from '../dto/item-search.dto.js';
import { ListNewsQueryDto, NewsCategoryListDto, NewsPageDto } from '../dto/news.dto.js';
import { ListNews } from './list-news.js';
import { NEWS_CATEGORY_TABS } from './news-categories.js';
import { ReadGuides } from './read-guides.js';
import { SearchItems } from './search-items.js';

/**
 * `/api/v1/info`. Public by decision (the earlier backend required a login only because
 * the route was missing from its gateway bypass list): news, guides and item search hold nothing
 * personal and read the same for everyone, and a guest deciding where a battery goes should not
 * have to sign in first.
 */
@ApiTags('info')
@Public()
@Controller('api/v1/info')
export class InfoController {
  constructor(
    private readonly listNews: ListNews,
    private readonly readGuides: ReadGuides,
    private readonly searchItems: SearchItems,
  ) {}

  @Get('news')
  @ApiOkResponse({ type: NewsPageDto })
  news(@Query() query: ListNewsQueryDto): Promise<NewsPageDto> {
    return this.listNews.execute(query);
  }

  @Get(['news/categories', 'categories'])
  @ApiOperation({ summary: 'the news category tabs (also served at /categories)' })
  @ApiOkResponse({ type: NewsCategoryListDto })
  categories(): NewsCategoryListDto {
    return { categories: NEWS_CATEGORY_TABS.map(({ id, name }) => ({ id, name })) };
  }

  @Get('guides')
  @ApiOkResponse({ type: GuideListDto })
  guides(): GuideListDto {
    return this.readGuides.list();
  }

  @Get('guides/:key')
  @ApiOkResponse({ type: GuideDto })
  @ApiNotFoundResponse({ description: 'no guide with that key' })
  guide(@Param('key') key: string): GuideDto {
    return this.readGuides.get(key);
  }

  @Get('search')
  @ApiOperation({ summary: 'an everyday item name → its categories and disposal guide, best first' })
  @ApiOkResponse({ type: ItemSearchResponseDto })
  search(@Query() query: ItemSearchQueryDto): ItemSearchResponseDto {
    return this.searchItems.execute(query.q);
  }
}
