import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'eco2:isPublic';

/** Marks a route (or controller) that needs no access token. Everything else does. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
