import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app.js';

/** A caller of the HTTP API: the bearer header of a test user. */
export interface ScanCaller {
  bearer: string;
}

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

export interface SseRead {
  events: SseEvent[];
  comments: number;
  /** The server ended the stream (as opposed to the reader stopping early). */
  closedByServer: boolean;
}

/** Makes the in-process app listen so absolute upload URLs and SSE work over real sockets. */
export async function listenOnFreePort(app: TestApp): Promise<string> {
  await app.app.listen(app.config.int('PORT'), '127.0.0.1');
  return `http://127.0.0.1:${(app.app.getHttpServer().address() as AddressInfo).port}`;
}

/** The app's upload: presign on a channel (the scan's by default), then the browser's plain PUT. Returns the cdn_url. */
export async function uploadScanPhoto(
  baseUrl: string,
  caller: ScanCaller,
  bytes: Buffer,
  filename = 'photo.jpg',
  contentType = 'image/jpeg',
  channel: 'scan' | 'chat' = 'scan',
): Promise<string> {
  const presign = await fetch(`${baseUrl}/api/v1/images/${channel}`, {
    method: 'POST',
    headers: { authorization: caller.bearer, 'content-type': 'application/json' },
    body: JSON.stringify({ filename, content_type: contentType, size: bytes.length }),
  });
  if (presign.status !== 200) throw new Error(`presign answered ${presign.status}: ${await presign.text()}`);
  const upload = (await presign.json()) as {
    upload_url: string;
    cdn_url: string;
    required_headers: Record<string, string>;
  };
  const put = await fetch(upload.upload_url, {
    method: 'PUT',
    headers: upload.required_headers,
    body: new Uint8Array(bytes),
  });
  if (put.status !== 200) throw new Error(`upload PUT answered ${put.status}: ${await put.text()}`);
  return upload.cdn_url;
}

export async function submitScan(
  baseUrl: string,
  caller: ScanCaller,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/api/v1/scan`, {
    method: 'POST',
    headers: { authorization: caller.bearer, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Reads an SSE stream into events until the server closes it, `stopAfter` says the reader has seen
 * enough (then it disconnects, like a phone losing signal), or the timeout passes.
 */
export function readScanEvents(
  baseUrl: string,
  caller: ScanCaller,
  jobId: string,
  options: SseReadOptions = {},
): Promise<SseRead> {
  return readJobEvents(`${baseUrl}/api/v1/scan/${jobId}/events`, caller, options);
}

export interface SseReadOptions {
  lastEventId?: string;
  stopAfter?: (events: SseEvent[]) => boolean;
  timeoutMs?: number;
}

/** The same reader for any job stream URL (the chat's `/api/v1/chat/{job_id}/events`). */
export async function readJobEvents(
  streamUrl: string,
  caller: ScanCaller,
  options: SseReadOptions = {},
): Promise<SseRead> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? 30_000);
  const read: SseRead = { events: [], comments: 0, closedByServer: false };
  try {
    const response = await fetch(streamUrl, {
      headers: {
        authorization: caller.bearer,
        ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
      },
      signal: abort.signal,
    });
    if (response.status !== 200)
      throw new Error(`events answered ${response.status}: ${await response.text()}`);
    if (!response.headers.get('content-type')?.startsWith('text/event-stream'))
      throw new Error(`events content-type ${response.headers.get('content-type')}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        if (frame.startsWith(':')) {
          read.comments++;
          continue;
        }
        const fields = Object.fromEntries(
          frame
            .split('\n')
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
        ) as Record<string, string>;
        read.events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? '{}') });
        if (options.stopAfter?.(read.events)) {
          abort.abort();
          return read;
        }
      }
    }
    read.closedByServer = true;
    return read;
  } catch (error) {
    if (abort.signal.aborted) return read;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `/result` the way the app does after a stream error, until it is no longer 202. */
export async function awaitScanResult(
  baseUrl: string,
  caller: ScanCaller,
  jobId: string,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/v1/scan/${jobId}/result`, {
      headers: { authorization: caller.bearer },
    }).catch(() => undefined);
    if (response?.status === 200) return (await response.json()) as Record<string, unknown>;
    if (response && response.status !== 202)
      throw new Error(`result answered ${response.status}: ${await response.text()}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} still processing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What a clear PET bottle photo and a careful user lead to (OpenAI stub answers). */
export const CLEAR_PET_CLASSIFICATION = {
  classification: {
    major_category: '재활용폐기물',
    middle_category: '무색페트병',
    minor_category: '음료PET병',
  },
  situation_tags: ['비닐_라벨_완전_제거됨', '내용물_없음'],
  meta: { user_input: '라벨 떼고 헹궜어요' },
};

export const CLEAR_PET_ANSWER = {
  disposal_steps: {
    단계1: '라벨을 제거해요',
    단계2: '내용물을 비우고 물로 헹궈요',
    단계3: '압착한 뒤 뚜껑을 닫아 투명 페트병 전용 수거함에 배출해요',
    단계4: null,
    단계5: null,
    단계6: null,
    단계7: null,
    단계8: null,
    단계9: null,
    단계10: null,
  },
  insufficiencies: [],
  user_answer: '완벽해요! 압착해서 뚜껑을 닫아 투명 페트병 수거함에 넣어 주세요.',
};
