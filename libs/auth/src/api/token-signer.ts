import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { AppConfig, Clock, TokenKeys, type TokenClaims, type TokenType } from '#platform';

export interface SignedToken {
  token: string;
  jti: string;
  expiresAt: Date;
  lifetimeSeconds: number;
}

export interface SignedTokenPair {
  access: SignedToken;
  refresh: SignedToken;
  familyId: string;
  provider: string;
  userId: string;
}

/** Signs RS256 access/refresh pairs with the current key (its `kid` in the header) and the claims of API.md. */
@Injectable()
export class TokenSigner {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: TokenKeys,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async signPair(userId: string, provider: string, familyId: string): Promise<SignedTokenPair> {
    const [access, refresh] = await Promise.all([
      this.sign('access', userId, provider, familyId, this.config.int('ACCESS_TOKEN_TTL_SECONDS')),
      this.sign('refresh', userId, provider, familyId, this.config.int('REFRESH_TOKEN_TTL_SECONDS')),
    ]);
    return { access, refresh, familyId, provider, userId };
  }

  private async sign(
    type: TokenType,
    sub: string,
    provider: string,
    fam: string,
    lifetimeSeconds: number,
  ): Promise<SignedToken> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const jti = randomUUID();
    // `fam` on access tokens too, so a logout that presents only the access token ends its login.
    const claims: TokenClaims = {
      sub,
      jti,
      type,
      iat,
      nbf: iat,
      exp: iat + lifetimeSeconds,
      iss: this.config.string('JWT_ISSUER'),
      aud: this.config.string('JWT_AUDIENCE'),
      provider,
      fam,
    };
    const { kid, pem } = this.keys.signingKey();
    const token = await this.jwt.signAsync(claims, { algorithm: 'RS256', privateKey: pem, keyid: kid });
    return { token, jti, expiresAt: new Date(claims.exp * 1000), lifetimeSeconds };
  }
}
