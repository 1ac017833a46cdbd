import type { EnvVarSpec } from '../../platform/src/index.js';
import { NAVER_SEARCH_ENV } from '../../info/src/index.js';

export const CHAT_ENV: readonly EnvVarSpec[] = [
  {
    name: 'CHAT_TOOL_TIMEOUT_MS',
    kind: 'int',
    default: '8000',
    min: 100,
    description:
      'bound of one tool call of the chat assistant; past it the answer says it could not look that up',
  },
  {
    name: 'CHAT_TURN_TIMEOUT_MS',
    kind: 'int',
    default: '120000',
    min: 1000,
    description: 'bound of one whole chat turn (every model round and tool call)',
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
  ...NAVER_SEARCH_ENV,
];
