import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationFailed, type ErrorDetail } from './domain-error.js';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The body without its null-valued fields, at every level of objects (array elements are kept). The
 * parser already bounded the nesting depth, so the recursion is shallow.
 */
export function withoutNullFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullFields);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null)
      .map(([name, field]) => [name, withoutNullFields(field)]),
  );
}

/** The dotted path of the first string in `value` holding U+0000, or null when there is none. */
export function fieldWithNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'value' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [name, field] of Object.entries(value)) {
    const found = fieldWithNul(field, path ? `${path}.${name}` : name);
    if (found !== null) return found;
  }
  return null;
}

/**
 * DTO validation for every route. Unknown fields are dropped rather than refused, because the app sends
 * extras (e.g. `model`) that must never cause a 400; each failing field is named in the details.
 *
 * One rule for `null` in a JSON body: a field sent as null is a field not sent. `@IsOptional` lets null
 * through, and no request field of the API gives null a meaning of its own, so without this rule a
 * null reached code written for a string (a 500); with it, a required field sent as null is a 400 and
 * an optional one is simply absent (`PATCH /users/me {"phone_number": null}` changes nothing).
 */
class ApiValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    // PostgreSQL text cannot hold U+0000 (the write fails), and no field of the API has a use for it.
    const withNul = fieldWithNul(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    if (withNul !== null)
      return Promise.reject(
        new ValidationFailed([{ field: withNul, message: 'must not contain the NUL character (U+0000)' }]),
      );
    return super.transform(metadata.type === 'body' ? withoutNullFields(value) : value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    transform: true,
    whitelist: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
  });
}
