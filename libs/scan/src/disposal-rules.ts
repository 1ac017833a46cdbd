import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { dataPath } from '../../platform/src/index.js';
import type { DisposalRuleDocument } from './scan-result.types.js';

interface RuleIndexEntry {
  major_category: string;
  middle_category: string;
  file: string;
}

/**
 * The rule step: a pure lookup of the disposal-rule document for (major, middle) through
 * data/disposal_rules/index.json. Documents are returned verbatim (the app shows them as they are).
 */
@Injectable()
export class DisposalRules {
  private readonly documents = new Map<string, DisposalRuleDocument>();

  constructor() {
    const index = JSON.parse(readFileSync(dataPath('disposal_rules', 'index.json'), 'utf8')) as {
      rules: RuleIndexEntry[];
    };
    for (const entry of index.rules) {
      const document = JSON.parse(
        readFileSync(dataPath('disposal_rules', entry.file), 'utf8'),
      ) as DisposalRuleDocument;
      this.documents.set(this.keyOf(entry.major_category, entry.middle_category), document);
    }
  }

  find(major: string, middle: string): DisposalRuleDocument | null {
    return this.documents.get(this.keyOf(major, middle)) ?? null;
  }

  private keyOf(major: string, middle: string): string {
    return `${major}\u0000${middle}`;
  }
}
