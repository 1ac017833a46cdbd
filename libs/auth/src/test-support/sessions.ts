import type { Response } from 'supertest';
import type { TestApp } from '../../../../test/support/test-app.js';

/** Helpers shared by the auth and my HTTP tests. */
export interface SetCookie {
  value: string;
  attributes: Record<string, string | true>;
}

export function cookiesOf(response: Response): Map<string, SetCookie> {
  const header = response.headers['set-cookie'] as unknown as string[] | undefined;
  const cookies = new Map<string, SetCookie>();
  for (const line of header ?? []) {
    const [pair, ...rest] = line.split(';').map((part) => part.trim());
    const index = pair!.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const attribute of rest) {
      const [name, ...value] = attribute.split('=');
      attributes[name!.toLowerCase()] = value.length > 0 ? value.join('=') : true;
    }
    cookies.set(pair!.slice(0, index), { value: decodeURIComponent(pair!.slice(index + 1)), attributes });
  }
  return cookies;
}

export interface TestSession {
  accessToken: string;
  refreshToken: string;
  userId: string;
}

export async function devLogin(app: TestApp, nickname: string, provider = 'kakao'): Promise<TestSession> {
  const response = await app.http.post('/api/v1/auth/dev/login').send({ nickname, provider }).expect(200);
  return {
    accessToken: response.body.data.access_token,
    refreshToken: response.body.data.refresh_token,
    userId: response.body.data.user.id,
  };
}

export const bearer = (token: string): { Authorization: string } => ({ Authorization: `Bearer ${token}` });

/** Path and query of an absolute URL, for supertest. */
export const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};
