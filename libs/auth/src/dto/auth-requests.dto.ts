import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { OAUTH_PROVIDERS, type OAuthProviderName } from '../api/oauth-providers.js';

export class StartLoginQueryDto {
  @ApiPropertyOptional({
    description: 'absolute, or a path resolved against the public base URL; must be allowed',
    example: '/api/v1/auth/kakao/callback',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  redirect_uri?: string;

  @ApiPropertyOptional({
    description: 'app origin to return to (wins over X-Frontend-Origin)',
    example: 'http://localhost:5173',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  frontend_origin?: string;

  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  device_id?: string;
}

export class NativeTokenRequestDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  code: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  state: string;
}

export class RefreshRequestDto {
  @ApiPropertyOptional({ description: 'else the X-Refresh-Token header or the s_refresh cookie' })
  @IsOptional()
  @IsString()
  refresh_token?: string;
}

export class DevLoginRequestDto {
  @ApiProperty({ example: '테스터' })
  @IsString()
  @Length(1, 120)
  nickname: string;

  @ApiPropertyOptional({ enum: OAUTH_PROVIDERS, default: 'kakao' })
  @IsOptional()
  @IsIn(OAUTH_PROVIDERS)
  provider?: OAuthProviderName;
}

export class StandInAuthorizeQueryDto {
  @ApiProperty({ enum: OAUTH_PROVIDERS })
  @IsIn(OAUTH_PROVIDERS)
  provider: OAuthProviderName;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  state: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  redirect_uri: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  code_challenge?: string;

  @ApiPropertyOptional({ description: 'who the stand-in signs in as', default: '개발자' })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  nickname?: string;
}
