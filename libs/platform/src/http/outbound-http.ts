import { resolvesToPublicAddresses } from './public-address-guard.js';

/** Bounds every outbound call applies: a deadline (body included) and a body cap. */
export interface OutboundLimits {
  timeoutMs: number;
  maxBytes: number;
}

/**
 * Outbound GETs to outside services (news feeds and APIs, the assistant's weather, fee and search
 * tools). Every call has a deadline (a service that never answers must not stall its caller) and a
 * body cap (a URL pointing at a video must not fill memory); the caller's signal (shutdown, the
 * chat turn) aborts whatever is in flight.
 */
export interface OutboundGet extends OutboundLimits {
  url: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** For URLs taken from untrusted content: refuse hosts (and redirect targets) on private addresses. */
  publicHostsOnly?: boolean;
}

const MAX_REDIRECTS = 3;

export interface OutboundResponse {
  status: number;
  headers: Headers;
  body: string;
  /** True when the body was cut at `maxBytes`. */
  truncated: boolean;
}

export class OutboundHttpError extends Error {}

export async function outboundGet(request: OutboundGet): Promise<OutboundResponse> {
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
  try {
    let url = request.url;
    let response: Response;
    // Redirects are followed by hand so that every hop passes the same checks as the first URL.
    for (let hop = 0; ; hop++) {
      const protocol = new URL(url).protocol;
      if (protocol !== 'http:' && protocol !== 'https:')
        throw new OutboundHttpError(`refusing ${protocol} URL`);
      if (request.publicHostsOnly && !(await resolvesToPublicAddresses(url))) {
        throw new OutboundHttpError(`refusing ${new URL(url).host}: not a public address`);
      }
      response = await fetch(url, {
        headers: { 'user-agent': 'Eco2/1.0 (+https://eco2.app)', ...request.headers },
        redirect: 'manual',
        signal,
      });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) break;
      if (hop >= MAX_REDIRECTS) throw new OutboundHttpError(`more than ${MAX_REDIRECTS} redirects`);
      await response.body?.cancel();
      url = new URL(location, url).toString();
    }
    const { body, truncated } = await readCapped(response, request.maxBytes);
    return { status: response.status, headers: response.headers, body, truncated };
  } catch (error) {
    if (error instanceof OutboundHttpError) throw error;
    if (deadline.aborted) throw new OutboundHttpError(`timed out after ${request.timeoutMs} ms`);
    throw new OutboundHttpError(error instanceof Error ? error.message : String(error));
  }
}

async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { body: Buffer.concat(chunks).toString('utf8'), truncated: false };
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      await reader.cancel().catch(() => undefined);
      return { body: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
}
