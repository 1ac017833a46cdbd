import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiStub, type OpenAiStub } from '../../../../test/support/openai-stub.js';
import OpenAI from 'openai';
import {
  CONTRACT_ANSWER,
  CONTRACT_TEXT,
  CONTRACT_TOOL,
  CONTRACT_TOOL_ITEMS,
  contractRequest,
  contractTextRequest,
  contractTurnAnswer,
  contractTurnRequest,
  describeAiProviderContract,
} from './ai.contract.js';
import { AiProviderError, type AiRequest, type AiToolTurnRequest } from './ai-provider.js';
import { LocalAiProvider } from './local-ai-provider.js';
import { OpenAiProvider } from './openai-provider.js';

describeAiProviderContract('local', async () => {
  const provider = new LocalAiProvider();
  provider.registerSolver('contract-sorting', (request: AiRequest) =>
    'schemaName' in request ? CONTRACT_ANSWER : CONTRACT_TEXT,
  );
  provider.registerTurnSolver('contract-sorting', (request: AiToolTurnRequest) => {
    const results = request.messages.flatMap((m) => (m.role === 'tool' ? [m.content] : []));
    if (results.length > 0) return { text: contractTurnAnswer(results) };
    return {
      toolCalls: CONTRACT_TOOL_ITEMS.map((item, i) => ({
        id: `local_${i}`,
        name: CONTRACT_TOOL.name,
        arguments: { item },
      })),
    };
  });
  return { provider };
});

/** The contract's server side: answers the contract task, refuses the broken one with a 400. */
function scriptContract(stub: OpenAiStub): void {
  stub.on('*', (request) => {
    if (request.userText.includes('contract-broken')) return { status: 400, content: 'unsupported task' };
    if (request.toolResults.length > 0) {
      return { content: contractTurnAnswer(request.toolResults.map((r) => r.content)) };
    }
    if (request.tools.length > 0) {
      return {
        toolCalls: CONTRACT_TOOL_ITEMS.map((item) => ({ name: CONTRACT_TOOL.name, arguments: { item } })),
      };
    }
    return request.stream ? { content: CONTRACT_TEXT } : { json: CONTRACT_ANSWER };
  });
}

describeAiProviderContract('openai (local OpenAI-compatible stub)', async () => {
  const stub = await startOpenAiStub();
  scriptContract(stub);
  const provider = new OpenAiProvider({
    apiKey: 'sk-contract',
    baseURL: stub.baseUrl,
    model: 'gpt-contract',
    imageModel: 'gpt-image-1',
    timeoutMs: 5000,
    maxRetries: 2,
  });
  return { provider, cleanup: () => stub.close() };
});

describe('OpenAiProvider against the stub: wire format and failures', () => {
  let stub: OpenAiStub;
  const provider = (options: { timeoutMs?: number; maxRetries?: number } = {}): OpenAiProvider =>
    new OpenAiProvider({
      apiKey: 'sk-test',
      baseURL: stub.baseUrl,
      model: 'gpt-default',
      imageModel: 'gpt-image-1',
      timeoutMs: options.timeoutMs ?? 5000,
      maxRetries: options.maxRetries ?? 2,
    });

  beforeAll(async () => {
    stub = await startOpenAiStub();
  });
  afterAll(async () => {
    await stub?.close();
  });
  beforeEach(() => {
    stub.reset();
    scriptContract(stub);
  });

  it('sends the system prompt, the text, the image as a data URL and a strict json_schema response format', async () => {
    const image = { bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), mimeType: 'image/jpeg' };
    await provider().generateJson({ ...contractRequest(), image, model: 'gpt-vision' });
    const [sent] = stub.requests;
    expect(sent!.model).toBe('gpt-vision');
    expect(sent!.schemaName).toBe('contract_sorting');
    expect(sent!.hasImage).toBe(true);
    expect(sent!.userText).toContain('투명 생수병');
    expect(sent!.messages[0]).toEqual({ role: 'system', content: contractRequest().system });
    expect(sent!.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'contract_sorting', schema: contractRequest().schema, strict: true },
    });
    const userParts = sent!.messages[1]!.content as { type: string; image_url?: { url: string } }[];
    expect(userParts.find((p) => p.type === 'image_url')!.image_url!.url).toBe(
      `data:image/jpeg;base64,${image.bytes.toString('base64')}`,
    );
    await provider().generateJson(contractRequest());
    expect(stub.requests[1]!.model).toBe('gpt-default');
  });

  it('retries 500 and 429 answers (the client does) and then succeeds', async () => {
    stub.queue({ status: 500 }, 1);
    stub.queue({ status: 429 }, 1);
    expect(await provider({ maxRetries: 2 }).generateJson(contractRequest())).toEqual(CONTRACT_ANSWER);
    expect(stub.requests).toHaveLength(3);
  });

  it('gives up after the retries with a retryable AiProviderError', async () => {
    stub.queue({ status: 503 }, 5);
    const call = provider({ maxRetries: 1 }).generateJson(contractRequest());
    await expect(call).rejects.toBeInstanceOf(AiProviderError);
    await expect(call).rejects.toMatchObject({ retryable: true, message: expect.stringContaining('503') });
    expect(stub.requests).toHaveLength(2);
  });

  it('does not retry a 400 and reports it as not retryable', async () => {
    stub.queue({ status: 400, content: 'bad schema' }, 1);
    await expect(provider().generateJson(contractRequest())).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('400'),
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('turns a slow answer into a retryable timeout error', async () => {
    stub.queue({ json: CONTRACT_ANSWER, delayMs: 2000 }, 5);
    const started = Date.now();
    const call = provider({ timeoutMs: 300, maxRetries: 0 }).generateJson(contractRequest());
    await expect(call).rejects.toBeInstanceOf(AiProviderError);
    await expect(call).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/timed out/),
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('rejects malformed or empty JSON content with an AiProviderError', async () => {
    stub.queue({ content: '{"major": "재활용' }, 1);
    await expect(provider().generateJson(contractRequest())).rejects.toMatchObject({
      message: expect.stringMatching(/malformed JSON/),
      retryable: true,
    });
    stub.queue({ content: '' }, 1);
    await expect(provider().generateJson(contractRequest())).rejects.toBeInstanceOf(AiProviderError);
  });

  it('reports a refusal as a non-retryable AiProviderError', async () => {
    stub.queue({ refusal: 'I cannot help with that' }, 1);
    await expect(provider().generateJson(contractRequest())).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(/refused/),
    });
  });

  it('aborts an in-flight call without retrying it', async () => {
    stub.queue({ json: CONTRACT_ANSWER, delayMs: 3000 }, 3);
    const controller = new AbortController();
    const call = provider().generateJson(contractRequest(), controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/aborted/) });
    expect(stub.requests).toHaveLength(1);
  });

  it('streams data: frames up to [DONE] and surfaces a failed stream as AiProviderError', async () => {
    const pieces: string[] = [];
    for await (const piece of provider().streamText(contractTextRequest())) pieces.push(piece);
    expect(pieces.join('')).toBe(CONTRACT_TEXT);
    expect(stub.requests.at(-1)!.stream).toBe(true);

    stub.queue({ status: 500 }, 3);
    const failing = (async () => {
      for await (const _ of provider({ maxRetries: 0 }).streamText(contractTextRequest())) void _;
    })();
    await expect(failing).rejects.toMatchObject({ retryable: true });
  });

  it('offers tools as functions with parallel calls, and sends results back as tool messages', async () => {
    const parts = [];
    for await (const part of provider().streamTurn(contractTurnRequest())) parts.push(part);
    const [offered] = stub.requests;
    expect(offered!.stream).toBe(true);
    expect(offered!.body.parallel_tool_calls).toBe(true);
    expect(offered!.body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: CONTRACT_TOOL.name,
          description: CONTRACT_TOOL.description,
          parameters: CONTRACT_TOOL.parameters,
        },
      },
    ]);
    const calls = parts[0]!.type === 'tool_calls' ? parts[0]!.calls : [];
    const followUp = contractTurnRequest([
      { role: 'assistant', content: '', toolCalls: calls },
      ...calls.map((c) => ({
        role: 'tool' as const,
        toolCallId: c.id,
        content: `{"rule":"${String(c.arguments.item)}"}`,
      })),
    ]);
    for await (const _ of provider().streamTurn({ ...followUp, tools: [] })) void _;
    const answered = stub.requests[1]!;
    expect(answered.body.tools).toBeUndefined();
    expect(answered.toolResults).toEqual(
      calls.map((c) => ({
        toolCallId: c.id,
        name: 'lookup_rule',
        content: `{"rule":"${String(c.arguments.item)}"}`,
      })),
    );
    const assistant = answered.messages.find((m) => m.role === 'assistant') as unknown as {
      tool_calls: { id: string; function: { name: string; arguments: string } }[];
    };
    expect(assistant.tool_calls.map((c) => JSON.parse(c.function.arguments))).toEqual(
      CONTRACT_TOOL_ITEMS.map((item) => ({ item })),
    );
  });

  it('the stub speaks the non-streaming tool-call protocol to the real client too', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: stub.baseUrl, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'gpt-default',
      messages: [{ role: 'user', content: '페트병이랑 캔' }],
      tools: [{ type: 'function', function: CONTRACT_TOOL }],
    });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    const calls = completion.choices[0]!.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? JSON.parse(c.function.arguments) : null))).toEqual(
      CONTRACT_TOOL_ITEMS.map((item) => ({ item })),
    );
  });

  it('generates an image through the images API as base64 PNG bytes', async () => {
    const image = await provider().generateImage({ prompt: '분리배출하는 이코' });
    expect(image.mimeType).toBe('image/png');
    expect(image.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(stub.imageRequests).toEqual([
      {
        authorization: 'Bearer sk-test',
        body: { model: 'gpt-image-1', prompt: '분리배출하는 이코', n: 1, size: '1024x1024' },
      },
    ]);
  });

  it('reports an unreachable server as a retryable AiProviderError', async () => {
    const gone = new OpenAiProvider({
      apiKey: 'sk-test',
      baseURL: 'http://127.0.0.1:9/v1',
      model: 'gpt-default',
      imageModel: 'gpt-image-1',
      timeoutMs: 1000,
      maxRetries: 0,
    });
    await expect(gone.generateJson(contractRequest())).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/could not reach/),
    });
  });
});
