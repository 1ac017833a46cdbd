import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from '#platform';
import {
  AppConfig,
  DependencyUnavailable,
  KEY_VALUE_STORE,
  RateLimited,
  type KeyValueStore,
} from '#platform';

/**
 * Fixed-window counters in the key-value store, so every auth pod shares them through Redis. Per client
 * IP on every auth route, per account on logins and refreshes (an IP limit alone lets a botnet hammer
 * one account).
 */
@Injectable()
export class AuthRateLimits {
  constructor(
    @Inject(KEY_VALUE_STORE) private readonly kv: KeyValueStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  checkClientIp(ip: string): Promise<void> {
    return this.check(`auth:rate:ip:${ip}`, this.config.int('AUTH_RATE_LIMIT_PER_IP'));
  }

  checkAccount(account: string): Promise<void> {
    return this.check(`auth:rate:account:${account}`, this.config.int('AUTH_RATE_LIMIT_PER_ACCOUNT'));
  }

  private async check(key: string, limit: number): Promise<void> {
    let counter: { value: number; ttlSeconds: number };
    try {
      counter = await this.kv.increment(key, this.config.int('AUTH_RATE_LIMIT_WINDOW_SECONDS'));
    } catch {
      throw new DependencyUnavailable('rate limiter');
    }
    if (counter.value > limit) throw new RateLimited(counter.ttlSeconds);
  }
}

@Injectable()
export class ClientIpRateLimitGuard implements CanActivate {
  constructor(private readonly limits: AuthRateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    await this.limits.checkClientIp(request.ip ?? request.socket.remoteAddress ?? 'unknown');
    return true;
  }
}
