import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailed, type ErrorDetail } from './domain-error.js';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * DTO validation for every route. Unknown fields are dropped rather than refused, because the app sends
 * extras (e.g. `model`) that must never cause a 400; each failing field is named in the details.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
  });
}
