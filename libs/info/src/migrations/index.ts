import { CreateNews1732000007000 } from './1732000007000-create-news.js';

export const infoMigrations = [CreateNews1732000007000];
