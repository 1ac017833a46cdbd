/** Plain text of HTML fragments that feeds and APIs put in titles and descriptions. */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  middot: '·',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  ndash: '–',
  mdash: '—',
};

export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return safeCodePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(parseInt(name.slice(1), 10), whole);
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

// Block elements separate words; inline ones (<b>인공지능</b>으로) sit inside a word and vanish.
const BLOCK_TAG =
  /<\/?(p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|figure|figcaption|hr)\b[^>]*>/gi;

/** Tags removed, entities decoded (twice-encoded feeds are common), whitespace collapsed. */
export function plainText(html: string): string {
  const stripTags = (text: string): string =>
    text
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(BLOCK_TAG, ' ')
      .replace(/<[^>]*>/g, '');
  return stripTags(decodeHtmlEntities(decodeHtmlEntities(stripTags(html))))
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most `max` characters, cut at a word boundary when one is near. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut}…`;
}

/** An absolute http(s) URL resolved against `base`, or null for anything else (javascript:, data:, junk). */
export function absoluteHttpUrl(candidate: string | undefined | null, base?: string): string | null {
  if (!candidate) return null;
  try {
    const url = new URL(decodeHtmlEntities(candidate.trim()), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}
