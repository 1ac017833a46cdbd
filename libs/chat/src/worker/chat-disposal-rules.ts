import { Injectable } from '@nestjs/common';
import { DisposalRules, disposalSteps, refusedItemNotes, WasteMatcher, type DisposalRule } from '#waste';

/** What the assistant is told about one rule document. */
export interface RuleSummary {
  major_category: string;
  middle_category: string;
  name: string;
  steps: string[];
  not_accepted: string[];
}

const MAX_STEPS = 6;
const MAX_REFUSED_NOTES = 3;

/**
 * The assistant's rule step: the shared disposal-rule documents, summarised for the prompt, looked
 * up by category (after vision) or by the words of a question through the shared matcher, so the
 * assistant names the same category as the item search and the scan for the same words.
 */
@Injectable()
export class ChatDisposalRules {
  constructor(
    private readonly rules: DisposalRules,
    private readonly matcher: WasteMatcher,
  ) {}

  find(major: string, middle: string): RuleSummary | null {
    const rule = this.rules.forCategory(major, middle);
    return rule ? summarise(rule) : null;
  }

  /** The rule document the words of a question point at, or null. */
  match(text: string): RuleSummary | null {
    const best = this.matcher.best(text);
    return best ? summarise(best.rule) : null;
  }
}

function summarise({ majorCategory, middleCategory, document }: DisposalRule): RuleSummary {
  return {
    major_category: majorCategory,
    middle_category: middleCategory,
    name: document.이름,
    steps: disposalSteps(document).slice(0, MAX_STEPS),
    not_accepted: refusedItemNotes(document).slice(0, MAX_REFUSED_NOTES),
  };
}
