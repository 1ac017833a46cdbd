import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class UpdateMyProfileDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 120, example: '분리배출왕' })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  nickname?: string;

  @ApiPropertyOptional({ description: 'Korean mobile number, any common spelling', example: '010-1234-5678' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone_number?: string;
}
