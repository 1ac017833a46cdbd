/** Injectable time source so tests can fix "now" (opening hours, token expiry, TTLs). */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date): void {
    this.current = to;
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
