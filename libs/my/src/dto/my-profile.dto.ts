import { ApiProperty } from '@nestjs/swagger';
import type { UserAccount } from '#auth';

/** Shown when a user has neither a nickname nor a name (the reference's fallback). */
const FALLBACK_DISPLAY_NAME = '사용자';

const firstNonBlank = (...values: (string | null | undefined)[]): string | undefined =>
  values.find((value) => value && value.trim() !== '')?.trim();

export class MyProfileDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'app reads it: always non-empty (an empty one logs the app out)' })
  username: string;

  @ApiProperty({ description: 'app reads it' })
  nickname: string;

  @ApiProperty()
  display_name: string;

  @ApiProperty({ nullable: true, type: String, example: '010-1234-5678', description: 'app reads it' })
  phone_number: string | null;

  @ApiProperty({ nullable: true, type: String })
  profile_image_url: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'kakao', description: 'app reads it' })
  provider: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  last_login_at: string | null;

  static of(account: UserAccount): MyProfileDto {
    const displayName = firstNonBlank(account.nickname, account.username) ?? FALLBACK_DISPLAY_NAME;
    return {
      id: account.id,
      username: firstNonBlank(account.username) ?? displayName,
      nickname: firstNonBlank(account.nickname, account.username) ?? displayName,
      display_name: displayName,
      phone_number: account.phoneNumber,
      profile_image_url: account.profileImageUrl,
      provider: account.provider,
      last_login_at: account.lastLoginAt?.toISOString() ?? null,
    };
  }
}
