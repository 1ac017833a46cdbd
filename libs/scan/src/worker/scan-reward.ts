import type { ClassificationResult, DisposalRuleDocument, FinalAnswer } from '../scan-result.types.js';
import { RECYCLABLE } from '#waste';

/**
 * The reward rule: a recyclable item with a non-blank middle category, a rule document found, and
 * nothing left for the user to fix earns the character whose match label is that middle category.
 */
export function earnsReward(
  classification: ClassificationResult,
  rules: DisposalRuleDocument | null,
  answer: FinalAnswer,
): boolean {
  const { major_category: major, middle_category: middle } = classification.classification;
  return (
    major === RECYCLABLE &&
    middle.trim() !== '' &&
    rules !== null &&
    !answer.insufficiencies.some((item) => item.trim() !== '')
  );
}

/** "middle>minor" when the classifier named an item beyond the middle category, else the middle. */
export function matchReasonOf(classification: ClassificationResult): string {
  const { middle_category: middle, minor_category: minor } = classification.classification;
  return minor && minor !== middle ? `${middle}>${minor}` : middle;
}
