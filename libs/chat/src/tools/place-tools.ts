import { NearbyPlaces, type NearbyPlace, type PlaceKind } from '#location';
import { objectSchema, type ChatTool, type ChatToolContext, type ChatToolOutcome } from './chat-tool.js';

const PLACES_PER_ANSWER = 5;

/** A place as the model reads it: the essentials, nearest first. */
function placeFact(place: NearbyPlace): Record<string, unknown> {
  return {
    name: place.name,
    distance: place.distance_text,
    address: place.road_address,
    open_now: place.is_open,
    hours: place.start_time && place.end_time ? `${place.start_time}~${place.end_time}` : null,
    phone: place.phone,
    collects: place.collection_items,
  };
}

interface PlaceToolSpec {
  name: 'location' | 'collection_point';
  description: string;
  runningMessage: string;
  kinds: readonly PlaceKind[];
  defaultKind: PlaceKind;
}

/** `location`: recycling buy-back sites and zero-waste shops near the user's shared position. */
export const LOCATION_TOOL: PlaceToolSpec = {
  name: 'location',
  description:
    '사용자 위치 근처의 재활용 유가보상 장소(자원순환가게 등)와 제로웨이스트 가게를 가까운 순으로 찾습니다. 거리, 주소, 운영 시간이 옵니다.',
  runningMessage: '주변 장소를 찾고 있어요.',
  kinds: ['any', 'buyback', 'zero_waste', 'pet', 'can', 'paper', 'plastic', 'glass'],
  defaultKind: 'any',
};

/** `collection_point`: where batteries, lamps, clothing or small electronics are collected nearby. */
export const COLLECTION_POINT_TOOL: PlaceToolSpec = {
  name: 'collection_point',
  description:
    '사용자 위치 근처에서 폐건전지, 폐형광등, 헌옷, 소형 전자제품 같은 품목을 받는 수거 장소를 가까운 순으로 찾습니다.',
  runningMessage: '수거함 위치를 찾고 있어요.',
  kinds: ['battery', 'lamp', 'clothing', 'electronics'],
  defaultKind: 'battery',
};

/** A place search from `libs/location` around the user's shared position (none shared: it says so). */
export class PlaceTool implements ChatTool {
  readonly name: PlaceToolSpec['name'];
  readonly description: string;
  readonly runningMessage: string;
  readonly parameters: Record<string, unknown>;

  constructor(
    private readonly spec: PlaceToolSpec,
    private readonly places: NearbyPlaces,
    private readonly radiusM: number,
  ) {
    this.name = spec.name;
    this.description = spec.description;
    this.runningMessage = spec.runningMessage;
    this.parameters = objectSchema({
      kind: { type: 'string', enum: [...spec.kinds], description: '찾는 장소의 종류' },
    });
  }

  available(): boolean {
    return true;
  }

  async run(args: Record<string, unknown>, context: ChatToolContext): Promise<ChatToolOutcome> {
    const location = context.userLocation;
    if (!location) {
      return { result: { needs_location: true }, summary: '위치 정보가 없어요.' };
    }
    const kind = this.spec.kinds.includes(args.kind as PlaceKind)
      ? (args.kind as PlaceKind)
      : this.spec.defaultKind;
    const found = await this.places.find({
      latitude: location.latitude,
      longitude: location.longitude,
      kind,
      limit: PLACES_PER_ANSWER,
      radiusM: this.radiusM,
    });
    return {
      result: { kind, within_km: this.radiusM / 1000, places: found.map(placeFact) },
      summary: found.length > 0 ? `${found[0]!.name} 등 ${found.length}곳` : '가까운 곳을 찾지 못했어요.',
    };
  }
}
