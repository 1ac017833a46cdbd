/** Order statistics for benchmark samples (milliseconds, req/s, bytes: any unit). */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** `value ÷ baseline`, the only comparison that survives a shared, noisy machine. */
export const ratio = (value: number, baseline: number): number => value / baseline;
