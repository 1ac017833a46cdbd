import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MinLength, ValidateNested } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { ValidationFailed } from './domain-error.js';
import { describeError } from './error-envelope.filter.js';
import { createValidationPipe } from './validation.js';

class LocationDto {
  @IsInt()
  @Max(90)
  latitude: number;
}

class ProfileDto {
  @IsString()
  @MinLength(1)
  nickname: string;

  @ValidateNested()
  @Type(() => LocationDto)
  location: LocationDto;
}

class ContactDto {
  @IsOptional()
  @IsString()
  phone_number?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;
}

describe('request validation', () => {
  const pipe = createValidationPipe();
  const validate = (value: unknown): Promise<unknown> =>
    pipe.transform(value, { type: 'body', metatype: ProfileDto });

  it('names every failing field, nested ones with a dotted path', async () => {
    const error = await validate({ nickname: '', location: { latitude: 200 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    const fields = (error as ValidationFailed).details!.map((d) => d.field);
    expect(fields).toEqual(['nickname', 'location.latitude']);
    expect(describeError(error)).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
  });

  it('drops unknown fields instead of refusing them (the app sends extras such as `model`)', async () => {
    const value = (await validate({
      nickname: 'eco',
      location: { latitude: 37 },
      model: 'gpt-5.2',
    })) as Record<string, unknown>;
    expect(value).not.toHaveProperty('model');
    expect(value).toMatchObject({ nickname: 'eco' });
  });

  it('treats an optional field sent as null as a field not sent', async () => {
    const value = (await pipe.transform(
      { phone_number: null, location: null },
      { type: 'body', metatype: ContactDto },
    )) as ContactDto;
    expect(value).toEqual({});
  });

  it('applies the null rule inside nested objects too', async () => {
    const error = await validate({ nickname: 'eco', location: { latitude: null } }).catch((e: unknown) => e);
    expect((error as ValidationFailed).details!.map((d) => d.field)).toEqual([
      'location.latitude',
      'location.latitude',
    ]);
  });

  it('refuses a required field sent as null like a missing one', async () => {
    const error = await validate({ nickname: null, location: { latitude: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).details!.map((d) => d.field)).toEqual(['nickname', 'nickname']);
  });

  it('refuses the NUL character in any string, naming the field (PostgreSQL text cannot hold it)', async () => {
    const error = await validate({ nickname: 'eco\u0000', location: { latitude: 1 } }).catch(
      (e: unknown) => e,
    );
    expect((error as ValidationFailed).details).toEqual([
      { field: 'nickname', message: 'must not contain the NUL character (U+0000)' },
    ]);
    const param = await pipe
      .transform('abc\u0000', { type: 'param', metatype: String, data: 'chat_id' })
      .catch((e: unknown) => e);
    expect((param as ValidationFailed).details).toEqual([
      { field: 'chat_id', message: 'must not contain the NUL character (U+0000)' },
    ]);
  });

  it('never exposes an unexpected error: 500 with a generic message', () => {
    expect(describeError(new Error('connection string postgres://secret'))).toEqual({
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred',
    });
  });
});
