import { Injectable } from '@nestjs/common';
import { NEWS_CATEGORIES, RecentNews, type NewsCategory } from '#info';
import { objectSchema, type ChatTool, type ChatToolOutcome } from './chat-tool.js';

const ARTICLES = 5;

/** `general`: the newest environment news the info domain collected. */
@Injectable()
export class NewsTool implements ChatTool {
  readonly name = 'general' as const;
  readonly description = '최근 수집된 환경·에너지 뉴스 기사 제목과 출처를 최신순으로 가져옵니다.';
  readonly parameters = objectSchema({ category: { type: 'string', enum: [...NEWS_CATEGORIES] } });
  readonly runningMessage = '최근 환경 소식을 찾고 있어요.';

  constructor(private readonly news: RecentNews) {}

  available(): boolean {
    return true;
  }

  async run(args: Record<string, unknown>): Promise<ChatToolOutcome> {
    const category = NEWS_CATEGORIES.includes(args.category as NewsCategory)
      ? (args.category as NewsCategory)
      : 'environment';
    const articles = await this.news.latest(ARTICLES, category);
    return {
      result: { category, articles: articles.map(({ snippet: _, ...article }) => article) },
      summary: articles.length > 0 ? `기사 ${articles.length}건` : '수집된 기사가 없어요.',
    };
  }
}
