import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '#platform';
import { AppConfig, Public } from '#platform';
import { ClientIpRateLimitGuard } from './auth-rate-limits.js';
import { AuthorizeWithStandIn } from './authorize-with-stand-in.js';
import { clientContextOf } from './client-context.js';
import { DevLogin } from './dev-login.js';
import { DevOnlyGuard } from './dev-only.guard.js';
import { DevLoginRequestDto, StandInAuthorizeQueryDto } from '../dto/auth-requests.dto.js';
import {
  IssuedTokensDto,
  IssuedTokensEnvelopeDto,
  envelope,
  type Envelope,
} from '../dto/auth-responses.dto.js';
import { setSessionCookies } from './session-cookies.js';
import { DEFAULT_STAND_IN_NICKNAME } from './stand-in-oauth-provider.js';

/** Dev-only routes (404 when NODE_ENV=production): the stand-in provider and a direct login for scripts. */
@ApiTags('auth (development only)')
@Public()
@UseGuards(DevOnlyGuard, ClientIpRateLimitGuard)
@Controller('api/v1/auth/dev')
export class DevAuthController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly authorizeWithStandIn: AuthorizeWithStandIn,
    private readonly devLogin: DevLogin,
  ) {}

  @Get('authorize')
  @ApiFoundResponse({ description: 'to the redirect URI with a code and the state' })
  async authorize(@Query() query: StandInAuthorizeQueryDto, @Res() response: HttpReply): Promise<void> {
    const location = await this.authorizeWithStandIn.execute({
      provider: query.provider,
      state: query.state,
      redirectUri: query.redirect_uri,
      codeChallenge: query.code_challenge,
      nickname: query.nickname ?? DEFAULT_STAND_IN_NICKNAME,
    });
    void response.redirect(location, 302);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: IssuedTokensEnvelopeDto })
  async login(
    @Body() body: DevLoginRequestDto,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpReply,
  ): Promise<Envelope<IssuedTokensDto>> {
    const session = await this.devLogin.execute(
      body.nickname,
      body.provider ?? 'kakao',
      clientContextOf(request),
    );
    setSessionCookies(response, session.tokens, this.config);
    return envelope(IssuedTokensDto.of(session.tokens, { includeTokens: true, user: session.user }));
  }
}
