import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { StartedOAuthLogin } from '../api/start-oauth-login.js';
import type { SignedTokenPair } from '../api/token-signer.js';
import type { User } from '../user.entity.js';

export class StartedLoginDto {
  @ApiProperty({ example: 'kakao' })
  provider: string;

  @ApiProperty()
  state: string;

  @ApiProperty({ description: 'app reads it: where to send the browser' })
  authorization_url: string;

  @ApiProperty({ example: '2025-01-01T00:10:00.000Z' })
  expires_at: string;

  static of(started: StartedOAuthLogin): StartedLoginDto {
    return {
      provider: started.provider,
      state: started.state,
      authorization_url: started.authorizationUrl,
      expires_at: started.expiresAt,
    };
  }
}

export class AuthUserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  username: string;

  @ApiProperty({ nullable: true, type: String })
  nickname: string | null;

  @ApiProperty({ nullable: true, type: String })
  email: string | null;

  @ApiProperty({ nullable: true, type: String })
  profile_image_url: string | null;

  @ApiProperty({ example: 'kakao' })
  provider: string;

  static of(user: User, provider: string): AuthUserDto {
    return {
      id: user.id,
      username: user.username,
      nickname: user.nickname,
      email: user.email,
      profile_image_url: user.profileImageUrl,
      provider,
    };
  }
}

export class IssuedTokensDto {
  @ApiPropertyOptional({ description: 'absent when the session travels in cookies only' })
  access_token?: string;

  @ApiPropertyOptional({ description: 'absent when the session travels in cookies only' })
  refresh_token?: string;

  @ApiProperty({ example: 'Bearer' })
  token_type: 'Bearer';

  @ApiProperty({ description: 'access token lifetime in seconds' })
  expires_in: number;

  @ApiPropertyOptional({ type: AuthUserDto })
  user?: AuthUserDto;

  static of(tokens: SignedTokenPair, options: { includeTokens: boolean; user?: User }): IssuedTokensDto {
    return {
      ...(options.includeTokens
        ? { access_token: tokens.access.token, refresh_token: tokens.refresh.token }
        : {}),
      token_type: 'Bearer',
      expires_in: tokens.access.lifetimeSeconds,
      ...(options.user ? { user: AuthUserDto.of(options.user, tokens.provider) } : {}),
    };
  }
}

/** Auth routes answer `{success, data}` (the app was written against that envelope). */
export interface Envelope<T> {
  success: true;
  data: T;
}

export const envelope = <T>(data: T): Envelope<T> => ({ success: true, data });

export class StartedLoginEnvelopeDto {
  @ApiProperty({ example: true })
  success: true;

  @ApiProperty({ type: StartedLoginDto })
  data: StartedLoginDto;
}

export class IssuedTokensEnvelopeDto {
  @ApiProperty({ example: true })
  success: true;

  @ApiProperty({ type: IssuedTokensDto })
  data: IssuedTokensDto;
}

export class SuccessDto {
  @ApiProperty({ example: true })
  success: true;
}
