/**
 * A conservative token count without a tokenizer: one token per 3 UTF-8 bytes, i.e. one per Hangul
 * syllable (real tokenizers give one to two syllables a token) and one per three ASCII characters
 * (real: about four). Budgets built on it hold for the real count.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 3);
}
