/**
 * Every environment variable the backend reads, with its default and meaning. This table is the single
 * source for boot-time validation and for `.env.example` (a test keeps the two in sync).
 */
export type EnvKind = 'string' | 'url' | 'int' | 'bool' | 'list' | 'enum';

export interface EnvVarSpec {
  name: string;
  kind: EnvKind;
  /** Default used when unset (or set empty); `undefined` means optional with no default. */
  default?: string;
  /** For a list with a default: set and empty (`NAME=`) means no items rather than the default. */
  emptyMeansNone?: boolean;
  required?: boolean;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** Marks values that must never be logged. */
  secret?: boolean;
  description: string;
}

export const API_DOMAINS = ['auth', 'my', 'scan', 'character', 'location', 'info', 'chat'] as const;
export const WORKER_ROLES = ['storage', 'ai'] as const;
export const APP_ROLES = ['all', 'api', 'worker'] as const;

export const PLATFORM_ENV: readonly EnvVarSpec[] = [
  // process
  {
    name: 'NODE_ENV',
    kind: 'enum',
    default: 'development',
    choices: ['development', 'test', 'production'],
    description: 'production refuses the dev login routes and requires explicit CORS origins',
  },
  {
    name: 'APP_ROLE',
    kind: 'enum',
    default: 'all',
    choices: APP_ROLES,
    description: 'which entry this process runs: all (API + workers in one process), api, or worker',
  },
  {
    name: 'APP_DOMAINS',
    kind: 'list',
    default: 'all',
    choices: ['all', ...API_DOMAINS],
    description: `API domains to boot: all or a comma list of ${API_DOMAINS.join(', ')}`,
  },
  {
    name: 'WORKER_ROLES',
    kind: 'list',
    default: 'all',
    choices: ['all', ...WORKER_ROLES],
    description: `worker roles to boot: all or a comma list of ${WORKER_ROLES.join(', ')}`,
  },
  {
    name: 'PORT',
    kind: 'int',
    default: '3000',
    min: 0,
    max: 65535,
    description: 'HTTP port (API routes, health, metrics)',
  },
  { name: 'HOST', kind: 'string', default: '0.0.0.0', description: 'HTTP bind address' },
  {
    name: 'STATE_DIR',
    kind: 'string',
    default: './var',
    description: 'folder for local state: SQLite files, local blobs, generated keys',
  },
  {
    name: 'LOG_LEVEL',
    kind: 'enum',
    default: 'info',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    description: 'pino log level',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    kind: 'int',
    default: '25000',
    min: 100,
    description: 'upper bound for graceful shutdown after SIGTERM before the process exits anyway',
  },
  // http
  {
    name: 'PUBLIC_BASE_URL',
    kind: 'url',
    description:
      'public origin of URLs handed to the browser (OAuth, upload, CDN, redirects); default http://localhost:<PORT>, never the Host header',
  },
  {
    name: 'TRUST_PROXY',
    kind: 'bool',
    default: 'false',
    description:
      'trust the proxy in front (the ALB, a same-origin dev proxy): X-Forwarded-For/Proto/Host; without PUBLIC_BASE_URL the forwarded origin is the public one',
  },
  {
    name: 'CORS_ORIGINS',
    kind: 'list',
    description:
      'allowed browser origins (exact); outside production localhost/127.0.0.1 on any port are always allowed',
  },
  { name: 'BODY_LIMIT', kind: 'string', default: '100kb', description: 'maximum JSON request body size' },
  // relational database
  {
    name: 'DATABASE_URL',
    kind: 'url',
    secret: true,
    description: 'postgres://… selects PostgreSQL; unset uses the SQLite file STATE_DIR/eco2.sqlite',
  },
  {
    name: 'DATABASE_SCHEMA',
    kind: 'string',
    description: 'PostgreSQL schema (search_path) to use; default public',
  },
  {
    name: 'DATABASE_MIGRATE',
    kind: 'bool',
    default: 'true',
    description: 'run pending migrations at boot (under an advisory lock on PostgreSQL)',
  },
  {
    name: 'DATABASE_POOL_SIZE',
    kind: 'int',
    default: '10',
    min: 1,
    max: 200,
    description: 'PostgreSQL connection pool size',
  },
  // key-value
  {
    name: 'REDIS_URL',
    kind: 'url',
    secret: true,
    description: 'redis://… selects Redis; unset uses the in-process store (single process only)',
  },
  { name: 'REDIS_KEY_PREFIX', kind: 'string', default: 'eco2:', description: 'prefix for every Redis key' },
  // messaging
  {
    name: 'AMQP_URL',
    kind: 'url',
    secret: true,
    description: 'amqp://… selects RabbitMQ; unset uses the durable SQLite-backed in-process queue',
  },
  {
    name: 'QUEUE_PREFETCH',
    kind: 'int',
    default: '16',
    min: 1,
    max: 1000,
    description: 'messages in flight per consumer',
  },
  {
    name: 'QUEUE_MAX_ATTEMPTS',
    kind: 'int',
    default: '5',
    min: 1,
    max: 100,
    description: 'deliveries before a failing message goes to the dead-letter queue',
  },
  {
    name: 'QUEUE_RETRY_BASE_MS',
    kind: 'int',
    default: '1000',
    min: 1,
    description: 'first retry delay; doubles per attempt',
  },
  {
    name: 'OUTBOX_POLL_MS',
    kind: 'int',
    default: '1000',
    min: 10,
    description: 'how often the outbox relay looks for committed messages not yet published to the queue',
  },
  {
    name: 'OUTBOX_MAX_BACKOFF_MS',
    kind: 'int',
    default: '30000',
    min: 100,
    description: 'longest wait between publish attempts of one outbox message while the broker is down',
  },
  // blob storage
  {
    name: 'S3_BUCKET',
    kind: 'string',
    description: 'S3 bucket; unset uses the local directory STATE_DIR/blobs served by the app',
  },
  { name: 'S3_REGION', kind: 'string', default: 'ap-northeast-2', description: 'S3 region' },
  {
    name: 'S3_ENDPOINT',
    kind: 'url',
    description: 'S3-compatible endpoint (path-style), e.g. a local test server',
  },
  {
    name: 'S3_ACCESS_KEY_ID',
    kind: 'string',
    secret: true,
    description: 'static S3 credentials (else the AWS default chain)',
  },
  {
    name: 'S3_SECRET_ACCESS_KEY',
    kind: 'string',
    secret: true,
    description: 'static S3 credentials (else the AWS default chain)',
  },
  {
    name: 'CDN_BASE_URL',
    kind: 'url',
    description: 'public read base URL for stored objects (CloudFront); default the S3 URL',
  },
  {
    name: 'BLOB_SIGNING_SECRET',
    kind: 'string',
    secret: true,
    description:
      'HMAC secret for local upload/download URLs, at least 32 characters; generated and persisted in STATE_DIR when unset',
  },
  {
    name: 'UPLOAD_URL_TTL_SECONDS',
    kind: 'int',
    default: '900',
    min: 60,
    max: 604800,
    description: 'lifetime of presigned upload URLs',
  },
  // AI
  {
    name: 'OPENAI_API_KEY',
    kind: 'string',
    secret: true,
    description: 'selects the OpenAI provider; unset uses the offline local provider',
  },
  {
    name: 'OPENAI_BASE_URL',
    kind: 'url',
    description: 'any OpenAI-compatible endpoint (default api.openai.com)',
  },
  {
    name: 'OPENAI_MODEL',
    kind: 'string',
    default: 'gpt-5.2',
    description: 'model for classification and answers',
  },
  {
    name: 'OPENAI_IMAGE_MODEL',
    kind: 'string',
    default: 'gpt-image-1',
    description: "model of the chat assistant's image_generation tool (OpenAI images API)",
  },
  {
    name: 'AI_TIMEOUT_MS',
    kind: 'int',
    default: '60000',
    min: 100,
    description: 'timeout per AI provider call',
  },
  {
    name: 'AI_MAX_RETRIES',
    kind: 'int',
    default: '2',
    min: 0,
    max: 10,
    description: 'retries (with backoff) per AI provider call',
  },
  // auth
  { name: 'JWT_ISSUER', kind: 'string', default: 'eco2-auth', description: 'iss claim of issued tokens' },
  {
    name: 'JWT_AUDIENCE',
    kind: 'string',
    default: 'eco2-clients',
    description: 'aud claim of issued tokens',
  },
  {
    name: 'JWT_PRIVATE_KEY',
    kind: 'string',
    secret: true,
    description: 'PEM RS256 signing key (current); generated and persisted in STATE_DIR when unset',
  },
  {
    name: 'JWT_PUBLIC_KEY',
    kind: 'string',
    description:
      'PEM public key matching the signing key, for pods that only verify (default: derived from JWT_PRIVATE_KEY)',
  },
  {
    name: 'JWT_KEY_ID',
    kind: 'string',
    description: 'kid of the signing key (default: its RFC 7638 thumbprint)',
  },
  {
    name: 'JWT_PREVIOUS_PUBLIC_KEY',
    kind: 'string',
    description: 'PEM public key of the previous signing key, still accepted during rotation',
  },
  { name: 'JWT_PREVIOUS_KEY_ID', kind: 'string', description: 'kid of JWT_PREVIOUS_PUBLIC_KEY' },
  {
    name: 'ACCESS_TOKEN_TTL_SECONDS',
    kind: 'int',
    default: '1800',
    min: 60,
    description: 'access token lifetime',
  },
  {
    name: 'REFRESH_TOKEN_TTL_SECONDS',
    kind: 'int',
    default: '2592000',
    min: 300,
    description: 'refresh token lifetime',
  },
  {
    name: 'COOKIE_SECURE',
    kind: 'bool',
    default: 'true',
    description: 'Secure attribute on auth cookies (turn off only for plain-HTTP localhost)',
  },
  { name: 'COOKIE_DOMAIN', kind: 'string', description: 'Domain attribute on auth cookies' },
] as const;

/** `.env.example`: every variable with its meaning and default (unset optional ones commented out). */
export function renderEnvExample(specs: readonly EnvVarSpec[]): string {
  const lines = ['# Generated from the env schemas (npm run env:example). Unset = embedded default.', ''];
  for (const spec of specs) {
    lines.push(
      `# ${spec.description}${spec.choices && spec.kind !== 'list' ? ` [${spec.choices.join('|')}]` : ''}`,
    );
    lines.push(spec.default !== undefined ? `${spec.name}=${spec.default}` : `# ${spec.name}=`);
  }
  return `${lines.join('\n')}\n`;
}
