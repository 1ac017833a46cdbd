import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '#platform';
import { AppConfig, Public, publicBaseUrl } from '#platform';
import { ClientIpRateLimitGuard } from './auth-rate-limits.js';
import { clientContextOf, frontendOriginCandidate } from './client-context.js';
import { CompleteOAuthLogin } from './complete-oauth-login.js';
import { NativeTokenRequestDto, RefreshRequestDto, StartLoginQueryDto } from '../dto/auth-requests.dto.js';
import {
  IssuedTokensDto,
  IssuedTokensEnvelopeDto,
  StartedLoginDto,
  StartedLoginEnvelopeDto,
  SuccessDto,
  envelope,
  type Envelope,
} from '../dto/auth-responses.dto.js';
import { LogOut } from './log-out.js';
import { LoginRedirectPolicy } from './login-redirect-policy.js';
import { OAuthLoginFailed } from './oauth-login-failed.js';
import { OAuthProviderPipe } from './oauth-provider.pipe.js';
import type { OAuthProviderName } from './oauth-providers.js';
import { RefreshSession } from './refresh-session.js';
import {
  clearSessionCookies,
  presentedAccessToken,
  presentedRefreshToken,
  setSessionCookies,
} from './session-cookies.js';
import { StartOAuthLogin } from './start-oauth-login.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

@ApiTags('auth')
@Public()
@UseGuards(ClientIpRateLimitGuard)
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly policy: LoginRedirectPolicy,
    private readonly startLogin: StartOAuthLogin,
    private readonly completeLogin: CompleteOAuthLogin,
    private readonly refreshSession: RefreshSession,
    private readonly logOut: LogOut,
  ) {}

  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: IssuedTokensEnvelopeDto })
  async refresh(
    @Req() request: HttpRequest,
    @Body() body: RefreshRequestDto,
    @Res({ passthrough: true }) response: HttpReply,
  ): Promise<Envelope<IssuedTokensDto>> {
    const presented = presentedRefreshToken(request, body.refresh_token);
    const tokens = await this.refreshSession.execute(presented.token);
    setSessionCookies(response, tokens, this.config);
    // Tokens go in the body only to clients that sent theirs explicitly: the app's stay HttpOnly.
    return envelope(IssuedTokensDto.of(tokens, { includeTokens: !presented.fromCookie }));
  }

  @Post('logout')
  @HttpCode(200)
  @ApiOkResponse({ type: SuccessDto })
  async logout(
    @Req() request: HttpRequest,
    @Body() body: RefreshRequestDto,
    @Res({ passthrough: true }) response: HttpReply,
  ): Promise<SuccessDto> {
    await this.logOut.execute({
      accessToken: presentedAccessToken(request),
      refreshToken: presentedRefreshToken(request, body.refresh_token).token,
    });
    clearSessionCookies(response, this.config);
    return { success: true };
  }

  @Get(':provider')
  @ApiOkResponse({ type: StartedLoginEnvelopeDto })
  async start(
    @Param('provider', OAuthProviderPipe) provider: OAuthProviderName,
    @Query() query: StartLoginQueryDto,
    @Req() request: HttpRequest,
  ): Promise<Envelope<StartedLoginDto>> {
    const started = await this.startLogin.execute({
      provider,
      redirectUri: query.redirect_uri,
      frontendOrigin: frontendOriginCandidate(request, query.frontend_origin),
      deviceId: query.device_id,
      publicBaseUrl: publicBaseUrl(request, this.config),
    });
    return envelope(StartedLoginDto.of(started));
  }

  /** Browser-navigated: always a redirect back to the app, never an error page. */
  @Get(':provider/callback')
  @ApiFoundResponse({
    description: 'to <origin>/#/home with the session cookies, or <origin>/#/login?error=oauth_failed',
  })
  async callback(
    @Param('provider', OAuthProviderPipe) provider: OAuthProviderName,
    @Query() query: Record<string, unknown>,
    @Req() request: HttpRequest,
    @Res() response: HttpReply,
  ): Promise<void> {
    try {
      const login = await this.completeLogin.execute({
        provider,
        code: text(query.code),
        state: text(query.state),
        providerError: text(query.error),
        client: clientContextOf(request),
      });
      setSessionCookies(response, login.tokens, this.config);
      void response.redirect(this.policy.successUrl(login.frontendOrigin), 302);
    } catch (error) {
      const known = error instanceof OAuthLoginFailed ? error.frontendOrigin : undefined;
      const origin = known ?? this.policy.defaultFrontendOrigin() ?? publicBaseUrl(request, this.config);
      void response.redirect(this.policy.failureUrl(origin), 302);
    }
  }

  @Post(':provider/token')
  @HttpCode(200)
  @ApiOkResponse({ type: IssuedTokensEnvelopeDto })
  async token(
    @Param('provider', OAuthProviderPipe) provider: OAuthProviderName,
    @Body() body: NativeTokenRequestDto,
    @Req() request: HttpRequest,
  ): Promise<Envelope<IssuedTokensDto>> {
    const login = await this.completeLogin.execute({
      provider,
      code: body.code,
      state: body.state,
      client: clientContextOf(request),
    });
    return envelope(IssuedTokensDto.of(login.tokens, { includeTokens: true, user: login.user }));
  }
}
