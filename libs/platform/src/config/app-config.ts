import type { EnvVarSpec } from './env-schema.js';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Parsed = string | number | boolean | string[] | undefined;

/**
 * Typed, validated view of the environment. Built once at boot from the specs the booted app declares;
 * every problem is reported at once so an operator fixes them in one go.
 */
export class AppConfig {
  private constructor(
    private readonly values: ReadonlyMap<string, Parsed>,
    readonly specs: readonly EnvVarSpec[],
  ) {}

  static load(specs: readonly EnvVarSpec[], env: NodeJS.ProcessEnv = process.env): AppConfig {
    const problems: string[] = [];
    const values = new Map<string, Parsed>();
    for (const spec of specs) {
      const raw = env[spec.name];
      if (spec.emptyMeansNone && raw !== undefined && raw.trim() === '') {
        values.set(spec.name, []);
        continue;
      }
      const text = raw === undefined || raw.trim() === '' ? spec.default : raw.trim();
      if (text === undefined) {
        if (spec.required) problems.push(`${spec.name} is required: ${spec.description}`);
        values.set(spec.name, undefined);
        continue;
      }
      const result = parseValue(spec, text);
      if ('problem' in result)
        problems.push(`${spec.name}=${spec.secret ? '<secret>' : JSON.stringify(text)}: ${result.problem}`);
      else values.set(spec.name, result.value);
    }
    if (problems.length > 0) throw new ConfigValidationError(problems);
    return new AppConfig(values, specs);
  }

  string(name: string): string {
    const value = this.read(name);
    if (typeof value !== 'string') throw new Error(`config ${name} has no value`);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.read(name);
    return typeof value === 'string' ? value : undefined;
  }

  int(name: string): number {
    const value = this.read(name);
    if (typeof value !== 'number') throw new Error(`config ${name} has no value`);
    return value;
  }

  bool(name: string): boolean {
    return this.read(name) === true;
  }

  list(name: string): string[] {
    const value = this.read(name);
    return Array.isArray(value) ? value : [];
  }

  get isProduction(): boolean {
    return this.string('NODE_ENV') === 'production';
  }

  private read(name: string): Parsed {
    if (!this.values.has(name)) throw new Error(`config ${name} is not declared in any env schema`);
    return this.values.get(name);
  }
}

function parseValue(spec: EnvVarSpec, text: string): { value: Parsed } | { problem: string } {
  switch (spec.kind) {
    case 'string':
      return { value: text };
    case 'url':
      try {
        new URL(text);
        return { value: text };
      } catch {
        return { problem: 'not an absolute URL' };
      }
    case 'int': {
      if (!/^-?\d+$/.test(text)) return { problem: 'not an integer' };
      const n = Number(text);
      if (spec.min !== undefined && n < spec.min) return { problem: `must be ≥ ${spec.min}` };
      if (spec.max !== undefined && n > spec.max) return { problem: `must be ≤ ${spec.max}` };
      return { value: n };
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(text)) return { value: true };
      if (/^(0|false|no|off)$/i.test(text)) return { value: false };
      return { problem: 'not a boolean (true/false)' };
    case 'enum':
      return spec.choices?.includes(text)
        ? { value: text }
        : { problem: `must be one of: ${spec.choices?.join(', ')}` };
    case 'list': {
      const items = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = spec.choices ? items.filter((i) => !spec.choices!.includes(i)) : [];
      if (unknown.length > 0) {
        return { problem: `unknown name(s) ${unknown.join(', ')}; valid names: ${spec.choices!.join(', ')}` };
      }
      return { value: items };
    }
  }
}
