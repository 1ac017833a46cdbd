import { outboundGet, type OutboundLimits } from '#platform';
import { dataGoKrBody } from './data-go-kr-response.js';

/** One row of the national standard data on bulky-waste fees (전국대형폐기물수수료표준데이터). */
export interface BulkyWasteFee {
  region: string;
  name: string;
  spec: string | null;
  fee: string;
}

/**
 * A row as the API sends it: 시도명 `ctprvnNm`, 시군구명 `signguNm`, 대형폐기물명 `prdlstNm`,
 * 대형폐기물규격 `standardNm`, 수수료 `amount`. The place names also filter rows as query parameters.
 */
interface FeeRow {
  ctprvnNm?: string;
  signguNm?: string;
  prdlstNm?: string;
  standardNm?: string;
  amount?: string;
}

/** Standard-data APIs send `items` as a list; some wrap it as `{item: [...]}` like other portal services. */
interface FeeBody {
  items?: FeeRow[] | { item?: FeeRow[] } | '';
}

export interface FeeQuery {
  /** 시/군/구 name as the data writes it, e.g. `중구`. */
  district?: string;
  /** 시/도 name, e.g. `서울특별시`. */
  province?: string;
}

const ROWS = 1000;

/** data.go.kr `tn_pubr_public_bulky_waste_fee_api`: JSON, paged, keyed by the portal's service key. */
export class BulkyWasteFeeClient {
  constructor(
    private readonly apiUrl: string,
    private readonly serviceKey: string,
    private readonly limits: OutboundLimits,
  ) {}

  async fees(query: FeeQuery, signal?: AbortSignal): Promise<BulkyWasteFee[]> {
    const url = new URL(this.apiUrl);
    url.search = new URLSearchParams({
      serviceKey: this.serviceKey,
      type: 'json',
      pageNo: '1',
      numOfRows: String(ROWS),
      ...(query.province ? { ctprvnNm: query.province } : {}),
      ...(query.district ? { signguNm: query.district } : {}),
    }).toString();
    const response = await outboundGet({ url: url.toString(), ...this.limits, signal });
    const items = dataGoKrBody<FeeBody>('bulky-waste fees', response)?.items;
    const rows = Array.isArray(items) ? items : ((items || { item: [] }).item ?? []);
    return rows.flatMap((row) =>
      row.prdlstNm && row.amount
        ? [
            {
              region: [row.ctprvnNm, row.signguNm].filter(Boolean).join(' '),
              name: row.prdlstNm,
              spec: row.standardNm || null,
              fee: /^\d+$/.test(row.amount) ? `${Number(row.amount).toLocaleString('ko-KR')}원` : row.amount,
            },
          ]
        : [],
    );
  }
}
