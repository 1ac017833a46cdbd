import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, type OutboundLimits } from '#platform';
import { naverCredentials, naverSearch, type NaverCredentials } from '#info';
import { chatOutboundLimits } from './chat-outbound-limits.js';
import {
  objectSchema,
  stringArg,
  type ChatTool,
  type ChatToolContext,
  type ChatToolOutcome,
} from './chat-tool.js';

const RESULTS_PER_KIND = 3;
const SNIPPET_CHARS = 160;

/** `web_search`: Naver web and blog search, with the news collector's Naver application. */
@Injectable()
export class WebSearchTool implements ChatTool {
  readonly name = 'web_search' as const;
  readonly description =
    '네이버 웹 문서와 블로그를 검색합니다. 규칙 문서나 다른 도구에 없는 최신 정보(지자체 정책, 행사, 제품 정보)가 필요할 때만 쓰세요.';
  readonly parameters = objectSchema({ query: { type: 'string', description: '검색어' } }, ['query']);
  readonly runningMessage = '웹에서 찾아보고 있어요.';
  private readonly credentials: NaverCredentials | null;
  private readonly limits: OutboundLimits;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.credentials = naverCredentials(config);
    this.limits = chatOutboundLimits(config);
  }

  available(): boolean {
    return this.credentials !== null;
  }

  async run(
    args: Record<string, unknown>,
    context: ChatToolContext,
    signal: AbortSignal,
  ): Promise<ChatToolOutcome> {
    const query = stringArg(args, 'query', 100) ?? context.question.slice(0, 100);
    const [web, blog] = await Promise.all(
      (['webkr', 'blog'] as const).map((kind) =>
        naverSearch(this.credentials!, { kind, query, display: RESULTS_PER_KIND }, this.limits, signal),
      ),
    );
    const results = [
      ...web!.map((item) => ({ source: 'web', ...brief(item) })),
      ...blog!.map((item) => ({ source: 'blog', ...brief(item) })),
    ];
    return {
      result: { query, results },
      summary: results.length > 0 ? `검색 결과 ${results.length}건` : '검색 결과가 없어요.',
    };
  }
}

function brief(item: { title: string; link: string; description: string }): Record<string, string> {
  return { title: item.title, link: item.link, snippet: item.description.slice(0, SNIPPET_CHARS) };
}
