import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public, TokenKeys, type PublicJwk } from '#platform';

/** The public keys other services verify our tokens with: the current one and, during rotation, the previous. */
@ApiTags('auth')
@Public()
@Controller('api/v1/auth/.well-known')
export class JwksController {
  constructor(private readonly keys: TokenKeys) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ description: '{keys: [{kty, n, e, kid, alg: "RS256", use: "sig"}]}' })
  jwks(): { keys: PublicJwk[] } {
    return this.keys.jwks();
  }
}
