import { Inject, Injectable, type CanActivate } from '@nestjs/common';
import { AppConfig, NotFound } from '#platform';

/** Dev routes do not exist in production: 404 before any input is even read. */
@Injectable()
export class DevOnlyGuard implements CanActivate {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (this.config.isProduction) throw new NotFound();
    return true;
  }
}
