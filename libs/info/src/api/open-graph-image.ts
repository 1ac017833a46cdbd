import { outboundGet } from '#platform';
import { absoluteHttpUrl } from './news-text.js';

export interface OpenGraphFetchOptions {
  timeoutMs: number;
  /** The `<head>` of a news page sits in the first tens of kilobytes; the rest is never read. */
  maxBytes: number;
  signal?: AbortSignal;
  /** Article links come from feed content: only public hosts unless explicitly allowed (tests, intranets). */
  allowPrivateHosts: boolean;
}

/**
 * The og:image (or twitter:image) of an article page, for feed items that came without a picture.
 * Null on any failure: a missing thumbnail is cosmetic and must never fail the collection.
 */
export async function fetchOpenGraphImage(
  pageUrl: string,
  options: OpenGraphFetchOptions,
): Promise<string | null> {
  try {
    const response = await outboundGet({
      url: pageUrl,
      headers: { accept: 'text/html,application/xhtml+xml' },
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      signal: options.signal,
      publicHostsOnly: !options.allowPrivateHosts,
    });
    if (response.status !== 200) return null;
    return openGraphImageIn(response.body, pageUrl);
  } catch {
    return null;
  }
}

export function openGraphImageIn(html: string, pageUrl: string): string | null {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const name = attribute(tag, 'property') ?? attribute(tag, 'name');
    if (name && /^(og:image(:secure_url|:url)?|twitter:image(:src)?)$/i.test(name)) {
      const url = absoluteHttpUrl(attribute(tag, 'content'), pageUrl);
      if (url) return url;
    }
  }
  return null;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}
