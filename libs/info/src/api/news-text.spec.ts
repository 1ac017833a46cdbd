import { describe, expect, it } from 'vitest';
import { classifyNewsCategory } from './news-categories.js';
import { parseFeed } from './parse-feed.js';
import { plainText } from './news-text.js';
import { openGraphImageIn } from './open-graph-image.js';

describe('news text', () => {
  it('drops inline tags inside words, separates block elements and decodes entities', () => {
    expect(plainText('<b>인공지능</b>으로<p>재활용&amp;nbsp;확대</p>')).toBe('인공지능으로 재활용 확대');
  });

  it('classifies by keywords in Korean and English, defaulting to environment', () => {
    expect(classifyNewsCategory('해상 풍력 발전소 착공', '').category).toBe('energy');
    expect(classifyNewsCategory('New LLM beats benchmarks', 'machine learning').category).toBe('ai');
    expect(classifyNewsCategory('He said the chair was fine', '').category).toBe('environment');
    expect(classifyNewsCategory('오늘의 날씨', '', 'ai').category).toBe('ai');
  });

  it('reads og:image in either attribute order and resolves it against the page', () => {
    expect(openGraphImageIn('<meta content="/a.png" property="og:image">', 'https://x.test/news/1')).toBe(
      'https://x.test/a.png',
    );
    expect(
      openGraphImageIn("<meta property='og:image' content='https://cdn.test/b.jpg'/>", 'https://x.test/'),
    ).toBe('https://cdn.test/b.jpg');
    expect(openGraphImageIn('<meta property="og:title" content="t">', 'https://x.test/')).toBeNull();
  });

  it('parses RSS with images in media tags, enclosures or the description, and skips items without a link', () => {
    const items = parseFeed(
      `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Feed</title>
        <image><url>/icon.png</url></image>
        <item><title>2024</title><link>/a</link><enclosure url="/e.jpg" type="image/jpeg"/></item>
        <item><title>B</title><link>https://x.test/b</link><description>&lt;img src="/d.jpg"&gt; text</description></item>
        <item><title>no link</title></item>
      </channel></rss>`,
      'https://x.test/feed.xml',
    );
    expect(items.map((i) => [i.title, i.url, i.thumbnailUrl])).toEqual([
      ['2024', 'https://x.test/a', 'https://x.test/e.jpg'],
      ['B', 'https://x.test/b', 'https://x.test/d.jpg'],
    ]);
    expect(items[0].sourceIconUrl).toBe('https://x.test/icon.png');
  });

  it("names an aggregator item's publisher from its <source>, else the channel", () => {
    const items = parseFeed(
      `<rss version="2.0"><channel><title>"분리배출 OR 재활용" - Google 뉴스</title>
        <item><title>재활용 선별장 확대 - 한겨레</title><link>https://news.google.com/rss/articles/abc</link>
          <source url="https://www.hani.co.kr">한겨레</source></item>
        <item><title>기후 소식</title><link>https://news.google.com/rss/articles/def</link></item>
      </channel></rss>`,
      'https://news.google.com/rss/search?q=x',
    );
    expect(items.map((i) => i.sourceName)).toEqual(['한겨레', '"분리배출 OR 재활용" - Google 뉴스']);
  });

  it('refuses a document that is neither RSS nor Atom', () => {
    expect(() => parseFeed('<html><body/></html>', 'https://x.test/')).toThrow(/neither/);
  });
});
