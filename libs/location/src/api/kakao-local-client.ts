import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#platform';

/** One document of Kakao Local's keyword search (`/v2/local/search/keyword.json`). */
export interface KakaoPlace {
  id: string;
  place_name: string;
  address_name?: string;
  road_address_name?: string;
  phone?: string;
  place_url?: string;
  /** Longitude and latitude, as strings. */
  x: string;
  y: string;
}

export interface KeywordSearch {
  query: string;
  /** Bias (and with sort=distance, order) around this point, within radius metres (Kakao caps it at 20 km). */
  near?: { latitude: number; longitude: number; radiusM: number };
  sort?: 'accuracy' | 'distance';
  size?: number;
}

/**
 * Kakao Local keyword search, only when a key is configured. Kakao is an enhancement: a timeout, an
 * error status or a malformed answer is logged and yields no places, never a failed request.
 */
@Injectable()
export class KakaoLocalClient {
  private readonly logger = new Logger(KakaoLocalClient.name);
  private readonly apiKey: string | undefined;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.apiKey = config.optionalString('KAKAO_REST_API_KEY');
    this.baseUrl = config.string('KAKAO_LOCAL_BASE_URL').replace(/\/$/, '');
    this.timeoutMs = config.int('KAKAO_TIMEOUT_MS');
  }

  get isConfigured(): boolean {
    return this.apiKey !== undefined;
  }

  async keyword(search: KeywordSearch): Promise<KakaoPlace[]> {
    if (!this.apiKey) return [];
    const url = new URL(`${this.baseUrl}/v2/local/search/keyword.json`);
    url.searchParams.set('query', search.query);
    url.searchParams.set('size', String(Math.min(15, search.size ?? 15)));
    url.searchParams.set('sort', search.sort ?? 'accuracy');
    if (search.near) {
      url.searchParams.set('x', String(search.near.longitude));
      url.searchParams.set('y', String(search.near.latitude));
      url.searchParams.set('radius', String(Math.min(20_000, Math.round(search.near.radiusM))));
    }
    try {
      const response = await fetch(url, {
        headers: { Authorization: `KakaoAK ${this.apiKey}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) {
        this.logger.warn(`Kakao keyword search answered ${response.status}`);
        return [];
      }
      const body = (await response.json()) as { documents?: unknown };
      return Array.isArray(body.documents) ? body.documents.filter(isPlace) : [];
    } catch (error) {
      this.logger.warn(`Kakao keyword search failed: ${(error as Error).message}`);
      return [];
    }
  }
}

function isPlace(value: unknown): value is KakaoPlace {
  const place = value as KakaoPlace;
  return (
    typeof place?.id === 'string' &&
    typeof place.place_name === 'string' &&
    Number.isFinite(Number(place.x)) &&
    Number.isFinite(Number(place.y)) &&
    place.x !== '' &&
    place.y !== ''
  );
}
