import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat.completions request as the stub received it, with the structured-output schema name pulled out. */
export interface StubRequest {
  model: string;
  schemaName: string | null;
  stream: boolean;
  messages: { role: string; content: unknown }[];
  /** All text parts of the user message, joined (what the caller said). */
  userText: string;
  hasImage: boolean;
  /** Names of the functions offered in `tools` (empty when none). */
  tools: string[];
  /** Tool results sent back (`role: "tool"` messages), with the name of the call each answers. */
  toolResults: { toolCallId: string; name: string; content: string }[];
  body: Record<string, unknown>;
}

/** A function call the stub's model makes. */
export interface StubToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** A `POST /v1/images/generations` as the stub received it. */
export interface StubImageRequest {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** What the stub answers one request with. */
export interface StubReply {
  /** Answer content as JSON (structured outputs put JSON text in `message.content`). */
  json?: unknown;
  /** Raw answer content, e.g. garbage that is not JSON. */
  content?: string;
  /** The model refuses (structured outputs' `message.refusal`, no content). */
  refusal?: string;
  /** An HTTP error (429, 500…) with OpenAI's error body instead of an answer. */
  status?: number;
  /** Wait this long before answering (the client's timeout and abort apply). */
  delayMs?: number;
  /** The model calls these functions (in one round, so in parallel) instead of answering. */
  toolCalls?: StubToolCall[];
}

export type StubScript = (request: StubRequest) => StubReply | Promise<StubReply>;

export interface OpenAiStub {
  /** Base URL for OPENAI_BASE_URL (ends in /v1). */
  baseUrl: string;
  requests: StubRequest[];
  imageRequests: StubImageRequest[];
  /** Scripts the answers for requests whose json_schema.name is `schemaName` (or `*` for any). */
  on(schemaName: string, script: StubScript): void;
  /** The next `count` requests (any schema) get this reply first, e.g. two 500s then normal answers. */
  queue(reply: StubReply, count?: number): void;
  reset(): void;
  close(): Promise<void>;
}

/** A 1×1 PNG: what the stub's image model draws. */
export const STUB_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A local stand-in for the OpenAI API, spoken to by the real `openai` client through OPENAI_BASE_URL:
 * `POST /v1/chat/completions` with structured outputs and function calling (`tools`, parallel
 * `tool_calls`, `role: "tool"` results), plain or `stream: true` as `data:` frames + `[DONE]`,
 * scriptable per schema with answers, tool calls, HTTP errors, delays and malformed content; and
 * `POST /v1/images/generations` answering one base64 PNG.
 */
export async function startOpenAiStub(): Promise<OpenAiStub> {
  const scripts = new Map<string, StubScript>();
  const queued: StubReply[] = [];
  const requests: StubRequest[] = [];
  const imageRequests: StubImageRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const images = req.url?.endsWith('/images/generations');
    if (req.method !== 'POST' || !(images || req.url?.endsWith('/chat/completions'))) {
      return sendError(res, 404, `no route ${req.method} ${req.url}`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return sendError(res, 400, 'body is not JSON');
    }
    if (images) {
      imageRequests.push({ authorization: req.headers.authorization, body });
      if (typeof body.prompt !== 'string' || body.prompt === '')
        return sendError(res, 400, 'prompt required');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          created: Math.floor(Date.now() / 1000),
          data: [{ b64_json: STUB_PNG.toString('base64') }],
        }),
      );
      return;
    }
    const request = describe(body);
    requests.push(request);
    const script = scripts.get(request.schemaName ?? '') ?? scripts.get('*');
    const reply: StubReply =
      queued.shift() ??
      (script ? await script(request) : { status: 500, content: 'no script for this schema' });
    if (reply.delayMs) {
      const aborted = await wait(reply.delayMs, res);
      if (aborted) return;
    }
    if (reply.status && reply.status >= 400)
      return sendError(res, reply.status, reply.content ?? 'scripted error');
    const toolCalls = reply.toolCalls?.map((call, index) => ({
      id: `call_${requests.length}_${index}`,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    }));
    if (toolCalls && request.stream) return sendToolCallStream(res, request.model, toolCalls);
    const content = toolCalls
      ? null
      : reply.refusal !== undefined
        ? null
        : (reply.content ?? JSON.stringify(reply.json ?? {}));
    if (request.stream) return sendStream(res, request.model, content ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content,
              refusal: reply.refusal ?? null,
              ...(toolCalls ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: toolCalls ? 'tool_calls' : 'stop',
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    imageRequests,
    on: (schemaName, script) => void scripts.set(schemaName, script),
    queue: (reply, count = 1) => {
      for (let i = 0; i < count; i++) queued.push(reply);
    },
    reset: () => {
      scripts.clear();
      queued.length = 0;
      requests.length = 0;
      imageRequests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function describe(body: Record<string, unknown>): StubRequest {
  const messages = (body.messages as StubRequest['messages']) ?? [];
  const parts = messages
    .filter((m) => m.role === 'user')
    .flatMap((m) =>
      typeof m.content === 'string'
        ? [{ type: 'text', text: m.content }]
        : (m.content as { type: string; text?: string }[]),
    );
  const format = body.response_format as { json_schema?: { name?: string } } | undefined;
  const callNames = new Map<string, string>();
  for (const message of messages as { tool_calls?: { id: string; function: { name: string } }[] }[]) {
    for (const call of message.tool_calls ?? []) callNames.set(call.id, call.function.name);
  }
  return {
    model: String(body.model ?? ''),
    schemaName: format?.json_schema?.name ?? null,
    stream: body.stream === true,
    messages,
    userText: parts
      .filter((p) => p.type === 'text')
      .map((p) => p.text ?? '')
      .join('\n'),
    hasImage: parts.some((p) => p.type === 'image_url'),
    tools: ((body.tools as { function: { name: string } }[] | undefined) ?? []).map((t) => t.function.name),
    toolResults: (messages as { role: string; tool_call_id?: string; content: unknown }[])
      .filter((m) => m.role === 'tool')
      .map((m) => ({
        toolCallId: m.tool_call_id ?? '',
        name: callNames.get(m.tool_call_id ?? '') ?? '',
        content: String(m.content),
      })),
    body,
  };
}

/** Resolves true when the client hung up first (its timeout or abort). */
function wait(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(false);
    }, ms);
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    res.once('close', onClose);
  });
}

function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(status === 429 ? { 'retry-after-ms': '10' } : {}),
  });
  res.end(
    JSON.stringify({
      error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null },
    }),
  );
}

function chunkFrame(model: string, delta: Record<string, unknown>, finish: string | null): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-stream',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
}

/** Function calls streamed as OpenAI does: id and name first, the arguments in several pieces. */
function sendToolCallStream(
  res: ServerResponse,
  model: string,
  calls: { id: string; type: string; function: { name: string; arguments: string } }[],
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunkFrame(model, { role: 'assistant', content: null }, null));
  calls.forEach((call, index) => {
    res.write(
      chunkFrame(
        model,
        {
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
          ],
        },
        null,
      ),
    );
    for (const piece of call.function.arguments.match(/.{1,8}/gs) ?? []) {
      res.write(chunkFrame(model, { tool_calls: [{ index, function: { arguments: piece } }] }, null));
    }
  });
  res.write(chunkFrame(model, {}, 'tool_calls'));
  res.end('data: [DONE]\n\n');
}

function sendStream(res: ServerResponse, model: string, content: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const frame = (delta: Record<string, unknown>, finish: string | null): string =>
    chunkFrame(model, delta, finish);
  res.write(frame({ role: 'assistant', content: '' }, null));
  for (const piece of content.match(/\S+\s*/g) ?? []) res.write(frame({ content: piece }, null));
  res.write(frame({}, 'stop'));
  res.end('data: [DONE]\n\n');
}
