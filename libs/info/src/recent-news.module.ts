import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NewsArticle } from './news-article.entity.js';
import { NewsFeedState } from './news-feed-state.entity.js';
import { NewsRepository } from './news.repository.js';
import { RecentNews } from './recent-news.js';

/** Reading the stored news without the collector or its schedule (what the AI worker boots). */
@Module({
  imports: [TypeOrmModule.forFeature([NewsArticle, NewsFeedState])],
  providers: [NewsRepository, RecentNews],
  exports: [RecentNews],
})
export class RecentNewsModule {}
