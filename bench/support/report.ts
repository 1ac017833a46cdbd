import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/**
 * One measured figure: its value, the baseline measured in the same run (when the figure is a
 * comparison) and the target it is held to. `higherIsBetter` says which side of the target passes.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  /** The ratio `value ÷ baseline.value` or, for scan latencies, `value ÷` the stub's pure time. */
  ratio?: number;
  target?: { ratio?: number; value?: number; higherIsBetter: boolean };
  note?: string;
}

export interface BenchOptions {
  /** The sizes the issue's targets are stated at; without it a size that takes a few minutes. */
  full: boolean;
  json?: string;
  /** Folder for `node --cpu-prof` profiles of the app processes under load. */
  cpuProf?: string;
  /** Count what the app processes send to PostgreSQL, Redis, RabbitMQ and S3 (bench/support/round-trips.ts). */
  roundTrips?: boolean;
  /** Count the instructions each request costs the app and its baseline (bench/support/instructions.ts). */
  instructions?: boolean;
}

export function parseBenchArgs(argv: readonly string[] = process.argv.slice(2)): BenchOptions {
  const options: BenchOptions = { full: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--full') options.full = true;
    else if (argv[i] === '--json') options.json = argv[++i];
    else if (argv[i].startsWith('--json=')) options.json = argv[i].slice('--json='.length);
    else if (argv[i] === '--cpu-prof') options.cpuProf = argv[++i];
    else if (argv[i] === '--round-trips') options.roundTrips = true;
    else if (argv[i] === '--instructions') options.instructions = true;
    else
      throw new Error(
        `unknown argument ${argv[i]} (expected --full, --json <file>, --cpu-prof <dir>, --round-trips, --instructions)`,
      );
  }
  if (options.json === '' || options.cpuProf === '') throw new Error('--json and --cpu-prof need a path');
  return options;
}

export function passes(figure: Figure): boolean | undefined {
  const target = figure.target;
  if (!target) return undefined;
  const measured = target.ratio !== undefined ? figure.ratio : figure.value;
  const bound = target.ratio ?? target.value;
  if (measured === undefined || bound === undefined) return undefined;
  return target.higherIsBetter ? measured >= bound : measured <= bound;
}

const format = (n: number): string =>
  !Number.isFinite(n)
    ? String(n)
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 10
        ? n.toFixed(1)
        : n.toFixed(2);

export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  for (const [i, row] of rows.entries()) {
    process.stdout.write(`${row.map((cell, c) => (cell ?? '').padEnd(widths[c])).join('  ')}\n`);
    if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
}

/** Collects a benchmark's figures, prints them as a table and writes them as JSON when asked. */
export class BenchReport {
  readonly figures: Figure[] = [];
  private readonly startedAt = new Date();

  constructor(
    readonly benchmark: string,
    readonly options: BenchOptions,
    readonly parameters: Record<string, unknown> = {},
  ) {}

  add(figure: Figure): Figure {
    this.figures.push(figure);
    return figure;
  }

  print(): void {
    process.stdout.write(`\n== ${this.benchmark} (${this.options.full ? 'full' : 'quick'} size) ==\n`);
    printTable([
      ['figure', 'value', 'baseline', 'ratio', 'target', 'ok'],
      ...this.figures.map((f) => {
        const ok = passes(f);
        const target = f.target
          ? `${f.target.higherIsBetter ? '≥' : '≤'} ${f.target.ratio !== undefined ? `${f.target.ratio}×` : `${f.target.value} ${f.unit}`}`
          : '';
        return [
          f.name,
          `${format(f.value)} ${f.unit}`,
          f.baseline ? `${format(f.baseline.value)} (${f.baseline.name})` : '',
          f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : '',
          target,
          ok === undefined ? '' : ok ? 'yes' : 'NO',
        ];
      }),
    ]);
    const notes = this.figures.filter((f) => f.note);
    for (const f of notes) process.stdout.write(`  ${f.name}: ${f.note}\n`);
  }

  /** Prints, writes the JSON file when `--json` was given, and returns whether every target held. */
  finish(): boolean {
    this.print();
    if (this.options.json) {
      writeFileSync(
        this.options.json,
        `${JSON.stringify(
          {
            benchmark: this.benchmark,
            size: this.options.full ? 'full' : 'quick',
            startedAt: this.startedAt.toISOString(),
            finishedAt: new Date().toISOString(),
            machine: {
              cpus: cpus().length,
              cpuModel: cpus()[0]?.model,
              memoryBytes: totalmem(),
              node: process.version,
            },
            parameters: this.parameters,
            figures: this.figures.map((f) => ({ ...f, passes: passes(f) })),
          },
          null,
          2,
        )}\n`,
      );
      process.stdout.write(`wrote ${this.options.json}\n`);
    }
    return this.figures.every((f) => passes(f) !== false);
  }
}
