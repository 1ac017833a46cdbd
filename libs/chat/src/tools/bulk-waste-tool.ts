import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '#platform';
import { NearbyPlaces } from '#location';
import { ChatDisposalRules } from '../worker/chat-disposal-rules.js';
import { BulkyWasteFeeClient, type BulkyWasteFee, type FeeQuery } from './bulky-waste-fee-client.js';
import { chatOutboundLimits } from './chat-outbound-limits.js';
import {
  objectSchema,
  stringArg,
  type ChatTool,
  type ChatToolContext,
  type ChatToolOutcome,
} from './chat-tool.js';

const BULKY_WASTE = '대형폐기물';
const FEES_PER_ANSWER = 8;

/**
 * `bulk_waste`: how to put out furniture and large appliances, from the rule documents (always, offline
 * too), plus the district's fees from the national standard data when a data.go.kr key is set. The
 * district is the one the model names, else the one of the nearest known site to the shared position.
 */
@Injectable()
export class BulkWasteTool implements ChatTool {
  readonly name = 'bulk_waste' as const;
  readonly description =
    '가구, 매트리스, 대형 가전 같은 대형폐기물의 배출 절차와 지자체별 수거 수수료를 찾습니다. item에 품목, region에 사용자가 말한 시/군/구가 있으면 넘기세요.';
  readonly parameters = objectSchema({
    item: { type: 'string', description: '버리려는 대형 물건(예: 소파, 침대, 냉장고)' },
    region: { type: 'string', description: '시/군/구 이름(예: 마포구), 말했을 때만' },
  });
  readonly runningMessage = '대형폐기물 배출 방법을 찾고 있어요.';
  private readonly fees: BulkyWasteFeeClient | null;
  private readonly radiusM: number;

  constructor(
    private readonly rules: ChatDisposalRules,
    private readonly places: NearbyPlaces,
    @Inject(AppConfig) config: AppConfig,
  ) {
    const key = config.optionalString('PUBLIC_DATA_SERVICE_KEY');
    this.fees = key
      ? new BulkyWasteFeeClient(config.string('BULKY_WASTE_FEE_API_URL'), key, chatOutboundLimits(config))
      : null;
    this.radiusM = config.int('CHAT_PLACES_RADIUS_M');
  }

  available(): boolean {
    return true;
  }

  async run(
    args: Record<string, unknown>,
    context: ChatToolContext,
    signal: AbortSignal,
  ): Promise<ChatToolOutcome> {
    const procedure = this.rules.find(BULKY_WASTE, BULKY_WASTE)?.steps ?? [];
    const item = stringArg(args, 'item', 40);
    if (!this.fees) {
      return { result: { item, procedure, fees: [] }, summary: '배출 절차를 찾았어요.' };
    }
    const where = await this.districtOf(stringArg(args, 'region', 40), context);
    const rows = where ? await this.fees.fees(where, signal) : [];
    const fees = matchingFees(rows, item ?? context.question);
    return {
      result: { item, region: where, procedure, fees },
      summary: fees.length > 0 ? `${fees[0]!.region} 수수료 ${fees.length}건` : '배출 절차를 찾았어요.',
    };
  }

  /** Road addresses read "서울특별시 중구 세종대로 110": province, then district. */
  private async districtOf(region: string | undefined, context: ChatToolContext): Promise<FeeQuery | null> {
    if (region) return { district: region };
    const location = context.userLocation;
    if (!location) return null;
    const [nearest] = await this.places.find({ ...location, kind: 'any', limit: 1, radiusM: this.radiusM });
    const [province, district] = nearest?.road_address?.split(/\s+/) ?? [];
    return province && district ? { province, district } : null;
  }
}

/** The rows naming the asked item (either way round: 소파 ⊂ "소파(1인용)", 침대 ⊃ 침대), at most a few. */
function matchingFees(rows: readonly BulkyWasteFee[], asked: string): BulkyWasteFee[] {
  const words = asked.split(/[\s,.?!]+/).filter((w) => w.length >= 2);
  const named = rows.filter((row) => {
    const name = row.name.replace(/\s+/g, '');
    return words.some((word) => name.includes(word) || word.includes(name));
  });
  return named.slice(0, FEES_PER_ANSWER);
}
