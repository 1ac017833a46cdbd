import { XMLParser } from 'fast-xml-parser';
import type { CollectedNewsItem } from './collected-news-item.js';
import { absoluteHttpUrl, plainText } from './news-text.js';

type XmlNode = Record<string, unknown>;

const REPEATED = new Set([
  'item',
  'entry',
  'link',
  'category',
  'media:content',
  'media:thumbnail',
  'enclosure',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  htmlEntities: true,
  // Titles like "2024" must stay strings.
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name),
});

export class FeedFormatError extends Error {}

/** Items of an RSS 2.0 or Atom 1.0 document; `feedUrl` resolves relative links. */
export function parseFeed(xml: string, feedUrl: string): CollectedNewsItem[] {
  let document: XmlNode;
  try {
    document = parser.parse(xml) as XmlNode;
  } catch (error) {
    throw new FeedFormatError(`not XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rss = asNode(document.rss);
  if (rss) return parseRss(asNode(rss.channel) ?? {}, feedUrl);
  const atom = asNode(document.feed);
  if (atom) return parseAtom(atom, feedUrl);
  throw new FeedFormatError('neither an RSS 2.0 nor an Atom feed');
}

function parseRss(channel: XmlNode, feedUrl: string): CollectedNewsItem[] {
  const channelName = textOf(channel.title) || new URL(feedUrl).hostname;
  const sourceIconUrl = absoluteHttpUrl(textOf(asNode(channel.image)?.url), feedUrl);
  return asNodes(channel.item).flatMap((item) => {
    // An aggregator (Google News) names each item's publisher in RSS 2.0's <source>.
    const sourceName = textOf(item.source) || channelName;
    const url = absoluteHttpUrl(asNodes(item.link).map(textOf)[0] ?? textOf(item.guid), feedUrl);
    const title = plainText(textOf(item.title));
    if (!url || !title) return [];
    const body = textOf(item.description) || textOf(item['content:encoded']);
    return [
      {
        url,
        title,
        snippet: plainText(body),
        publishedAt: dateOf(textOf(item.pubDate) || textOf(item['dc:date'])),
        thumbnailUrl: mediaImageOf(item, feedUrl) ?? firstImageIn(body, url),
        sourceName,
        sourceIconUrl,
        keywords: asNodes(item.category).map(textOf).filter(Boolean),
      },
    ];
  });
}

function parseAtom(feed: XmlNode, feedUrl: string): CollectedNewsItem[] {
  const sourceName = plainText(textOf(feed.title)) || new URL(feedUrl).hostname;
  const sourceIconUrl = absoluteHttpUrl(textOf(feed.icon) || textOf(feed.logo), feedUrl);
  return asNodes(feed.entry).flatMap((entry) => {
    const links = asNodes(entry.link);
    const alternate = links.find((link) => (link['@_rel'] ?? 'alternate') === 'alternate');
    const url = absoluteHttpUrl(String(alternate?.['@_href'] ?? ''), feedUrl);
    const title = plainText(textOf(entry.title));
    if (!url || !title) return [];
    const body = textOf(entry.summary) || textOf(entry.content);
    const imageLink = links.find(
      (link) => link['@_rel'] === 'enclosure' && String(link['@_type'] ?? '').startsWith('image/'),
    );
    return [
      {
        url,
        title,
        snippet: plainText(body),
        publishedAt: dateOf(textOf(entry.published) || textOf(entry.updated)),
        thumbnailUrl:
          absoluteHttpUrl(String(imageLink?.['@_href'] ?? ''), url) ??
          mediaImageOf(entry, feedUrl) ??
          firstImageIn(body, url),
        sourceName,
        sourceIconUrl,
        keywords: asNodes(entry.category)
          .map((category) => String(category['@_term'] ?? textOf(category)))
          .filter(Boolean),
      },
    ];
  });
}

/** media:thumbnail, an image media:content, or an image enclosure. */
function mediaImageOf(item: XmlNode, base: string): string | null {
  const candidates = [
    ...asNodes(item['media:thumbnail']),
    ...asNodes(item['media:content']).filter((m) => isImage(m['@_medium'], m['@_type'])),
    ...asNodes(item.enclosure).filter((e) => isImage(undefined, e['@_type'])),
  ];
  for (const candidate of candidates) {
    const url = absoluteHttpUrl(String(candidate['@_url'] ?? ''), base);
    if (url) return url;
  }
  return null;
}

function isImage(medium: unknown, type: unknown): boolean {
  return medium === 'image' || String(type ?? '').startsWith('image/');
}

function firstImageIn(html: string, base: string): string | null {
  const match = /<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/i.exec(html);
  return absoluteHttpUrl(match?.[1], base);
}

function dateOf(text: string): Date | null {
  if (!text) return null;
  const date = new Date(text.trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Element text whether the parser gave a string, a number, or a node with attributes. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value).trim();
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'object') return textOf((value as XmlNode)['#text']);
  return '';
}

function asNode(value: unknown): XmlNode | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : undefined;
}

function asNodes(value: unknown): XmlNode[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((entry) =>
    typeof entry === 'object' && entry !== null ? (entry as XmlNode) : { '#text': entry },
  );
}
