import { Injectable, type PipeTransform } from '@nestjs/common';
import { NotFound } from '#platform';
import { isOAuthProvider, type OAuthProviderName } from './oauth-providers.js';

/** `{provider}` path segment: kakao, google or naver; any other name is a route that does not exist. */
@Injectable()
export class OAuthProviderPipe implements PipeTransform<string, OAuthProviderName> {
  transform(value: string): OAuthProviderName {
    if (!isOAuthProvider(value)) throw new NotFound(`Unknown login provider ${value}`);
    return value;
  }
}
