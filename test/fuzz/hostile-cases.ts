/** The parts of the OpenAPI document the fuzzer reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  parameters?: Array<{
    name: string;
    in: 'path' | 'query' | 'header';
    required?: boolean;
    schema?: JsonSchema;
  }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  example?: unknown;
  format?: string;
  allOf?: JsonSchema[];
}

/** What the target knows about the booted app: whose ids are whose, where the canary listens. */
export interface FuzzContext {
  /** The attacker's own access token (`Authorization` value). */
  attacker: string;
  /** Another user's resources, which the attacker must never reach. */
  victim: { chatId: string; scanJobId: string; cdnUrl: string };
  /** The attacker's own uploaded image: the base of tampered signed URLs. */
  ownUpload: { cdnUrl: string };
  /** A local listener that must never receive a request (SSRF). */
  canaryUrl: string;
  /** Tokens that must never authenticate, by name: forged, expired, wrong audience, refresh as access... */
  badTokens: Record<string, string>;
}

export interface FuzzCase {
  family: string;
  method: string;
  /** Path and query, already encoded as sent. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A 2xx answer is a finding: the request had to be refused. */
  mustRefuse: boolean;
  /** The request needs a user of its own (it logs out or deletes the caller). */
  needsFreshUser?: boolean;
}

interface Operation {
  method: string;
  path: string;
  secured: boolean;
  pathParams: string[];
  query: Array<{ name: string; required: boolean; schema: JsonSchema }>;
  body?: JsonSchema;
}

/** Deterministic PRNG (mulberry32): the same seed gives the same cases. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

/** Requests that log the caller out or delete them run as a user of their own. */
const DESTRUCTIVE = new Set(['POST /api/v1/auth/logout', 'DELETE /api/v1/users/me']);

const TRAVERSAL = [
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '....//....//',
  '/etc/passwd',
];
const UNICODE = [
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u0644\u0627',
  '\ufeff',
  'e\u0301\u0301\u0301\u0301',
  '🧪'.repeat(200),
  '\u200b\u200d',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'Ａｄｍｉｎ',
];
const BAD_NUMBERS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1',
  '-0',
  '0x10',
  '9007199254740993',
  '1.5e-400',
  '',
  ' ',
  '١٢٣',
];
const BAD_IDS = [
  'not-a-uuid',
  '0',
  '-1',
  "1' OR '1'='1",
  '%00',
  '%zz',
  'a'.repeat(600),
  '00000000-0000-0000-0000-000000000000',
  '{{7*7}}',
  '%2e%2e',
  '9'.repeat(40),
  '１２３',
];
const BAD_CURSORS = [
  'AAAA',
  '!!!',
  Buffer.from('{"t":"x","id":1}').toString('base64url'),
  Buffer.from('{"created_at":"not a date","id":null}').toString('base64url'),
  Buffer.from('[[[[[]]]]]').toString('base64url'),
  Buffer.from('{"__proto__":{"polluted":1}}').toString('base64url'),
  'a'.repeat(5000),
];
const BAD_COORDINATES = ['91', '-91', '181', '-181', '1e400', 'NaN', '37.5,127', '0x1F', '37.5.1', '-0'];

function resolve(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema {
  if (!schema) return {};
  if (schema.$ref) return resolve(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!]);
  if (schema.allOf?.length) return resolve(doc, schema.allOf[0]);
  return schema;
}

/** A value the schema accepts, as far as the document says: the base each case then breaks. */
function sample(doc: OpenApiDocument, schema: JsonSchema | undefined, random: Random, depth = 0): unknown {
  const resolved = resolve(doc, schema);
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.enum?.length) return random.pick(resolved.enum);
  switch (resolved.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : [sample(doc, resolved.items, random, depth + 1)];
    case 'object':
    case undefined:
      if (!resolved.properties) return resolved.type === 'object' ? {} : 'eco';
      return Object.fromEntries(
        Object.entries(resolved.properties).map(([name, property]) => [
          name,
          depth > 4 ? null : sample(doc, property, random, depth + 1),
        ]),
      );
    default:
      return resolved.format === 'uuid' ? random.uuid() : 'eco';
  }
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        secured: (operation.security?.length ?? 0) > 0,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
        query: parameters
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => ({
            name: parameter.name,
            required: parameter.required ?? false,
            schema: resolve(doc, parameter.schema),
          })),
        body: operation.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

const PATH_DEFAULTS: Record<string, string> = { channel: 'scan', provider: 'kakao', code: 'PET' };

function pathWith(operation: Operation, random: Random, override?: [string, string]): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    override && override[0] === name ? override[1] : encodeURIComponent(PATH_DEFAULTS[name] ?? random.uuid()),
  );
}

/** Percent-encoded, and a lone surrogate (no UTF-8 form) as the raw bytes an attacker would send. */
function encodeQueryPart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

function queryOf(entries: Array<[string, string]>): string {
  if (entries.length === 0) return '';
  return `?${entries.map(([name, value]) => `${encodeQueryPart(name)}=${encodeQueryPart(value)}`).join('&')}`;
}

function baseQuery(operation: Operation, random: Random): Array<[string, string]> {
  return operation.query
    .filter((parameter) => parameter.required || random.next() < 0.5)
    .map((parameter) => [parameter.name, String(sample({ paths: {} }, parameter.schema, random) ?? 'eco')]);
}

function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { z: value };
  return value;
}

/** Replaces one field (at some level of the body) with `value`. */
function withField(body: unknown, random: Random, value: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { field: value };
  const names = Object.keys(body);
  if (names.length === 0) return { [random.pick(['image_url', 'message', 'nickname', 'q'])]: value };
  const name = random.pick(names);
  const current = (body as Record<string, unknown>)[name];
  const deeper =
    current !== null && typeof current === 'object' && !Array.isArray(current) && random.next() < 0.4;
  return { ...body, [name]: deeper ? withField(current, random, value) : value };
}

/** The hostile variants of ordinary requests: malformed bodies, params and headers. */
function malformed(
  doc: OpenApiDocument,
  operation: Operation,
  random: Random,
  context: FuzzContext,
): FuzzCase {
  const base = operation.body === undefined ? undefined : sample(doc, operation.body, random);
  const headers: Record<string, string> = { authorization: context.attacker };
  let path = pathWith(operation, random);
  let query = baseQuery(operation, random);
  let body: string | undefined = base === undefined ? undefined : JSON.stringify(base);
  const families = [
    'wrong-type',
    'missing-fields',
    'extra-fields',
    'huge-string',
    'deep-nesting',
    'invalid-json',
    'content-type',
    'unicode',
    'bad-number',
    'bad-path-id',
    'bad-query',
    'duplicated-params',
    'bad-headers',
    'traversal',
  ];
  const family = random.pick(families);
  switch (family) {
    case 'wrong-type':
      body = JSON.stringify(
        withField(
          base ?? {},
          random,
          random.pick([123, -1.5, true, [], {}, 'text', [1, 'a'], { nested: 1 }, 0]),
        ),
      );
      break;
    case 'missing-fields':
      body = random.pick(['{}', '[]', '', '{"": ""}']);
      break;
    case 'extra-fields':
      body = JSON.stringify({
        ...(typeof base === 'object' && base !== null ? base : {}),
        [random.pick(['__proto__', 'constructor', 'prototype', 'id', 'user_id', 'status', 'is_admin'])]:
          random.pick([{ polluted: true }, 'admin', 1, null]),
      });
      break;
    case 'huge-string':
      body = JSON.stringify(
        withField(base ?? {}, random, 'x'.repeat(random.pick([1_000, 20_000, 90_000, 200_000]))),
      );
      break;
    case 'deep-nesting':
      body = JSON.stringify(withField(base ?? {}, random, nested(random.pick([31, 40, 500, 3_000]))));
      break;
    case 'invalid-json':
      body = random.pick([
        '{"a":',
        '{a:1}',
        "{'a':1}",
        '[1,]',
        '{"a":1}}',
        '\u0000',
        'null',
        '1',
        '"text"',
        '{"a":NaN}',
      ]);
      break;
    case 'content-type':
      headers['content-type'] = random.pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-7',
        'application/xml',
        'application/json, text/plain',
        '',
      ]);
      body = body ?? '{}';
      break;
    case 'unicode':
      body = JSON.stringify(withField(base ?? {}, random, random.pick(UNICODE)));
      query = query.map(([name]) => [name, random.pick(UNICODE)]);
      break;
    case 'bad-number':
      query = operation.query.map((parameter) => [parameter.name, random.pick(BAD_NUMBERS)]);
      body =
        base === undefined
          ? undefined
          : JSON.stringify(
              withField(base, random, random.pick([1e308, -1e308, 2 ** 64, -0, 0.1, -1])),
            ).replace(/1e\+308/, '1e999');
      break;
    case 'bad-path-id':
      if (operation.pathParams.length > 0) {
        const name = random.pick(operation.pathParams);
        path = pathWith(operation, random, [name, random.pick([...BAD_IDS, ...TRAVERSAL])]);
      } else path = `${path}/${random.pick(BAD_IDS)}`;
      break;
    case 'bad-query':
      query = operation.query.map((parameter) => [
        parameter.name,
        parameter.name === 'cursor'
          ? random.pick(BAD_CURSORS)
          : ['lat', 'lon'].includes(parameter.name)
            ? random.pick(BAD_COORDINATES)
            : random.pick([...BAD_NUMBERS, ...BAD_IDS]),
      ]);
      break;
    case 'duplicated-params':
      query = [
        ...query,
        ...query,
        ...operation.query.map((parameter): [string, string] => [parameter.name, '2']),
      ];
      if (random.next() < 0.5) query.push(['limit[]', '1'], ['cursor[a]', 'b']);
      break;
    case 'bad-headers': {
      const choice = random.pick([
        ['authorization', 'Bearer'],
        ['authorization', 'Basic YWRtaW46YWRtaW4='],
        ['authorization', `Bearer ${'a'.repeat(8000)}`],
        ['x-request-id', '../../etc/passwd'],
        ['x-request-id', 'x'.repeat(4000)],
        ['last-event-id', random.pick(['-1', 'NaN', '1e999', 'a'.repeat(500)])],
        ['idempotency-key', 'k'.repeat(2000)],
        ['x-idempotency-key', '\u00ff\u00fe'],
        ['x-forwarded-host', 'evil.example'],
        ['x-forwarded-proto', 'javascript'],
        ['origin', 'null'],
        ['accept', 'text/event-stream'],
        ['cookie', 's_access=garbage; s_refresh=garbage'],
        ['x-refresh-token', 'Bearer garbage'],
      ] as const);
      headers[choice[0]] = choice[1];
      break;
    }
    case 'traversal':
      body = JSON.stringify(withField(base ?? {}, random, random.pick(TRAVERSAL)));
      query = query.map(([name]) => [name, random.pick(TRAVERSAL)]);
      break;
  }
  if (body !== undefined && (operation.method === 'GET' || operation.method === 'HEAD')) {
    // A GET carries no body through fetch: the hostile value goes into the query instead.
    query.push([
      random.pick([...operation.query.map((parameter) => parameter.name), 'q']),
      body.slice(0, 4000),
    ]);
    body = undefined;
    delete headers['content-type'];
  }
  if (body !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  return {
    family,
    method: operation.method,
    path: `${path}${queryOf(query)}`,
    headers,
    body,
    mustRefuse: false,
    needsFreshUser: DESTRUCTIVE.has(`${operation.method} ${operation.path}`),
  };
}

/** Requests that must be refused: bad tokens, another user's ids, URLs we never issued. */
function attack(
  doc: OpenApiDocument,
  operations: Operation[],
  random: Random,
  context: FuzzContext,
): FuzzCase {
  const kind = random.pick(['token', 'foreign-id', 'ssrf', 'tampered-url']);
  const json = { 'content-type': 'application/json', authorization: context.attacker };
  if (kind === 'token') {
    const operation = random.pick(operations.filter((candidate) => candidate.secured));
    const body =
      operation.body === undefined ? undefined : JSON.stringify(sample(doc, operation.body, random));
    const [name, token] = random.pick(Object.entries(context.badTokens));
    const headers: Record<string, string> =
      random.next() < 0.5 ? { authorization: `Bearer ${token}` } : { cookie: `s_access=${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return {
      family: `token-attack:${name}`,
      method: operation.method,
      path: `${pathWith(operation, random)}${queryOf(baseQuery(operation, random))}`,
      headers,
      body,
      mustRefuse: true,
    };
  }
  if (kind === 'foreign-id') {
    const { chatId, scanJobId, cdnUrl } = context.victim;
    const [method, path, body] = random.pick([
      ['GET', `/api/v1/chat/${chatId}`, undefined],
      ['PATCH', `/api/v1/chat/${chatId}`, JSON.stringify({ title: 'mine now' })],
      ['DELETE', `/api/v1/chat/${chatId}`, undefined],
      ['POST', `/api/v1/chat/${chatId}/messages`, JSON.stringify({ message: 'hello' })],
      ['GET', `/api/v1/scan/${scanJobId}`, undefined],
      ['GET', `/api/v1/scan/${scanJobId}/result`, undefined],
      ['GET', `/api/v1/scan/${scanJobId}/events`, undefined],
      ['POST', '/api/v1/scan', JSON.stringify({ image_url: cdnUrl })],
    ] as const);
    return { family: 'foreign-id', method, path, headers: json, body, mustRefuse: true };
  }
  if (kind === 'ssrf') {
    const canary = new URL(context.canaryUrl);
    const own = new URL(context.ownUpload.cdnUrl);
    const url = random.pick([
      `${context.canaryUrl}/api/v1/images/blob/scan/x.png`,
      `http://${own.host}@${canary.host}${own.pathname}${own.search}`,
      `${canary.origin}${own.pathname}${own.search}`,
      `http://169.254.169.254/latest/meta-data/`,
      `file:///etc/passwd`,
      `gopher://${canary.host}/_x`,
      `http://[::ffff:127.0.0.1]:${canary.port}/x.png`,
      `http://0x7f000001:${canary.port}/x.png`,
      `${own.origin}/api/v1/images/blob/scan/%zz.png${own.search}`,
    ]);
    const [method, path, body] = random.pick([
      ['POST', '/api/v1/scan', JSON.stringify({ image_url: url })],
      ['POST', `/api/v1/chat/${random.uuid()}/messages`, JSON.stringify({ message: 'look', image_url: url })],
      [
        'GET',
        `/api/v1/auth/kakao?redirect_uri=${encodeURIComponent(url)}&frontend_origin=${encodeURIComponent(url)}`,
        undefined,
      ],
    ] as const);
    // The OAuth start may answer 200 (it stores the redirect for later); what counts there is the canary.
    return { family: 'ssrf', method, path, headers: json, body, mustRefuse: method === 'POST' };
  }
  const own = new URL(context.ownUpload.cdnUrl);
  const tampered = new URL(own);
  const signature = own.searchParams.get('signature');
  switch (random.int(4)) {
    case 0:
      if (signature)
        tampered.searchParams.set('signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
      else tampered.pathname = tampered.pathname.replace(/\.(\w+)$/, '0.$1');
      break;
    case 1:
      if (signature)
        tampered.searchParams.set('expires', String(Number(own.searchParams.get('expires')) + 86_400));
      else tampered.pathname = tampered.pathname.replace('/scan/', '/chat/');
      break;
    case 2:
      tampered.pathname = tampered.pathname.replace(/[^/]+$/, `${random.uuid().replaceAll('-', '')}.jpg`);
      break;
    default:
      tampered.pathname = tampered.pathname.replace(/\/([^/]+)$/, '/../../$1');
  }
  return {
    family: 'tampered-url',
    method: 'POST',
    path: '/api/v1/scan',
    headers: json,
    body: JSON.stringify({ image_url: tampered.toString() }),
    mustRefuse: tampered.toString() !== own.toString(),
  };
}

/** `count` cases from `seed`: about one in four an attack that must be refused, the rest malformed input. */
export function hostileCases(
  doc: OpenApiDocument,
  context: FuzzContext,
  seed: number,
  count: number,
): FuzzCase[] {
  const random = new Random(seed);
  const operations = operationsOf(doc);
  return Array.from({ length: count }, () =>
    random.next() < 0.25
      ? attack(doc, operations, random, context)
      : malformed(doc, random.pick(operations), random, context),
  );
}
