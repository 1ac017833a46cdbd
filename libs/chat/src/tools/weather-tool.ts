import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, Clock } from '#platform';
import { chatOutboundLimits } from './chat-outbound-limits.js';
import { objectSchema, type ChatTool, type ChatToolContext, type ChatToolOutcome } from './chat-tool.js';
import { KmaForecastClient, latestForecastIssue } from './kma-forecast-client.js';
import { kmaGridPoint } from './kma-grid.js';

/** `weather`: the KMA short-term forecast at the user's shared position (offered with a data.go.kr key). */
@Injectable()
export class WeatherTool implements ChatTool {
  readonly name = 'weather' as const;
  readonly description =
    '사용자 위치의 기상청 단기예보(앞으로 약 24시간, 3시간 간격: 하늘, 강수 형태, 강수확률, 기온)를 봅니다. 비가 오는지에 따라 배출 시점을 안내할 때 쓰세요.';
  readonly parameters = objectSchema({});
  readonly runningMessage = '날씨 예보를 확인하고 있어요.';
  private readonly client: KmaForecastClient | null;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly clock: Clock,
  ) {
    const key = config.optionalString('PUBLIC_DATA_SERVICE_KEY');
    this.client = key
      ? new KmaForecastClient(config.string('KMA_FORECAST_BASE_URL'), key, chatOutboundLimits(config))
      : null;
  }

  available(): boolean {
    return this.client !== null;
  }

  async run(
    _args: Record<string, unknown>,
    context: ChatToolContext,
    signal: AbortSignal,
  ): Promise<ChatToolOutcome> {
    const location = context.userLocation;
    if (!location) return { result: { needs_location: true }, summary: '위치 정보가 없어요.' };
    const grid = kmaGridPoint(location.latitude, location.longitude);
    const issue = latestForecastIssue(this.clock.now());
    const forecast = await this.client!.forecast(grid, issue, signal);
    const rainy = forecast.find((period) => period.rain !== '없음');
    return {
      result: { issued: `${issue.baseDate} ${issue.baseTime}`, grid, forecast },
      summary: rainy
        ? `${rainy.at} ${rainy.rain} 예보`
        : forecast.length > 0
          ? '비 소식 없음'
          : '예보가 없어요.',
    };
  }
}
