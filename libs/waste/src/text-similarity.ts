/**
 * Matching helpers for item search. Korean users type the same item with and without spaces
 * ("투명 페트병" / "투명페트병") and in mixed case Latin ("PET", "pet"), so comparisons run on a
 * normalised form.
 */

/** Lowercased, without whitespace or punctuation, in NFC so precomposed and typed Hangul compare equal. */
export function normaliseItemName(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * Splits Hangul syllables into their jamo (NFD). A one-key typo changes one jamo, not a whole
 * syllable ("패트병" vs "페트병"), so distances measured on jamo track what the user mistyped.
 */
export function toJamo(normalised: string): string {
  return normalised.normalize('NFD');
}

/**
 * Optimal-string-alignment Damerau-Levenshtein distance: insertions, deletions, substitutions and
 * adjacent transpositions each cost 1. Stops early and returns `limit + 1` once every path exceeds
 * `limit`, since callers only care whether a term is within a small budget.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2] + 1);
      }
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

/** How many edits a query of this (jamo) length may contain and still count as the same word. */
export function typoBudget(jamoLength: number): number {
  if (jamoLength < 4) return 0;
  if (jamoLength < 8) return 1;
  if (jamoLength < 16) return 2;
  return 3;
}
