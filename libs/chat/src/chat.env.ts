import { jobLimitsEnv, type EnvVarSpec } from '#platform';
import { NAVER_SEARCH_ENV } from '#info';

/** Prefix of the chat job limits in env (`CHAT_WORKER_CONCURRENCY`, …): see `jobLimitsEnv`. */
export const CHAT_LIMITS = 'CHAT';

export const CHAT_ENV: readonly EnvVarSpec[] = [
  // CHAT_JOB_TIMEOUT_MS bounds one whole turn (every model round and tool call).
  ...jobLimitsEnv(CHAT_LIMITS, 'chat', {
    concurrency: 8,
    jobTimeoutMs: 120_000,
    eventTtlSeconds: 86_400,
    keepAliveMs: 15_000,
    // The reference's SSE gateway bound: past it the stream ends with a retryable `timeout` error.
    maxWaitMs: 300_000,
    recordCheckMs: 5000,
  }),
  {
    name: 'CHAT_TOOL_TIMEOUT_MS',
    kind: 'int',
    default: '8000',
    min: 100,
    description:
      'bound of one tool call of the chat assistant; past it the answer says it could not look that up',
  },
  {
    name: 'CHAT_TOOL_MAX_ROUNDS',
    kind: 'int',
    default: '3',
    min: 0,
    max: 8,
    description: 'model rounds that may call tools before the assistant must answer',
  },
  {
    name: 'CHAT_CONTEXT_TOKEN_BUDGET',
    kind: 'int',
    default: '3000',
    min: 500,
    description:
      'estimated tokens of conversation sent per turn (system prompt, summary, recent messages, question); older turns go into the summary',
  },
  {
    name: 'CHAT_SUMMARY_TOKEN_BUDGET',
    kind: 'int',
    default: '600',
    min: 50,
    description: "bound of a chat's rolling summary, in estimated tokens (part of the context budget)",
  },
  {
    name: 'CHAT_PLACES_RADIUS_M',
    kind: 'int',
    default: '30000',
    min: 100,
    description: "search radius of the assistant's location and collection_point tools, in metres",
  },
  {
    name: 'CHAT_OUTBOUND_TIMEOUT_MS',
    kind: 'int',
    default: '5000',
    min: 100,
    description:
      "deadline of each outside-service call of the assistant's tools (forecast, fees, web search), body included",
  },
  {
    name: 'CHAT_OUTBOUND_MAX_BYTES',
    kind: 'int',
    default: '1048576',
    min: 1024,
    description: "largest outside-service response the assistant's tools read",
  },
  {
    name: 'PUBLIC_DATA_SERVICE_KEY',
    kind: 'string',
    secret: true,
    description:
      "data.go.kr service key (the decoded form; one key per portal account): enables the assistant's " +
      'weather tool (KMA short-term forecast) and bulky-waste fees (national standard data)',
  },
  {
    name: 'KMA_FORECAST_BASE_URL',
    kind: 'url',
    default: 'https://apis.data.go.kr/1360000/VilageFcstInfoService_2.0',
    description: 'base URL of the KMA short-term forecast service (tests point it at a local stub)',
  },
  {
    name: 'BULKY_WASTE_FEE_API_URL',
    kind: 'url',
    default: 'https://api.data.go.kr/openapi/tn_pubr_public_bulky_waste_fee_api',
    description: 'URL of the bulky-waste fee standard data API (tests point it at a local stub)',
  },
  {
    name: 'CHAT_WS_MAX_FRAME_BYTES',
    kind: 'int',
    default: '16384',
    min: 1024,
    description: 'largest frame a client may send on /api/v1/chat/ws; a bigger one closes the socket (1009)',
  },
  {
    name: 'CHAT_WS_HEARTBEAT_MS',
    kind: 'int',
    default: '30000',
    min: 100,
    description:
      'ping interval on /api/v1/chat/ws; a client that missed the previous pong is dropped. Below the load balancer idle timeout',
  },
  {
    name: 'CHAT_WS_MAX_BUFFERED_BYTES',
    kind: 'int',
    default: '1048576',
    min: 1024,
    description:
      'bytes queued for one /api/v1/chat/ws client past which the socket is closed (1013: reconnect and resume)',
  },
  // web_search: the Naver application of the news collector (NAVER_NEWS_*).
  ...NAVER_SEARCH_ENV,
];
