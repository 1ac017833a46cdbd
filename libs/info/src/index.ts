export { NAVER_SEARCH_ENV } from './info.env.js';
export { NEWS_CATEGORIES, type NewsCategory } from './news-article.entity.js';
export { RecentNews, type RecentArticle } from './recent-news.js';
export { RecentNewsModule } from './recent-news.module.js';
export {
  naverCredentials,
  naverSearch,
  type NaverCredentials,
  type NaverSearchItem,
} from './api/naver-search.js';
