import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WasteKnowledgeModule } from '#waste';
import { CollectNews } from './collect-news.js';
import { InfoController } from './info.controller.js';
import { ListNews } from './list-news.js';
import { NewsArticle } from '../news-article.entity.js';
import { NewsCollectionSchedule } from './news-collection-schedule.js';
import { NewsFeedState } from '../news-feed-state.entity.js';
import { NewsSources } from './news-sources.js';
import { NewsRepository } from '../news.repository.js';
import { ReadGuides } from './read-guides.js';
import { SearchItems } from './search-items.js';

/** `/api/v1/info`: the news feed and its collector, the disposal guides, and item search. */
@Module({
  imports: [TypeOrmModule.forFeature([NewsArticle, NewsFeedState]), WasteKnowledgeModule],
  controllers: [InfoController],
  providers: [
    NewsRepository,
    NewsSources,
    CollectNews,
    NewsCollectionSchedule,
    ListNews,
    ReadGuides,
    SearchItems,
  ],
})
export class InfoModule {}
