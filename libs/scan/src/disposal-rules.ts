import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { dataPath } from '../../platform/src/index.js';
import type { DisposalRuleDocument } from './scan-result.types.js';

interface RuleIndexEntry {
  major_category: string;
  middle_category: string;
  file: string;
  english: string;
}

/** One rule document with the place data/disposal_rules/index.json gives it. */
export interface DisposalRule {
  /** The ASCII file stem, e.g. `recyclable_clear_pet_bottles`: stable, URL-safe, never Korean. */
  key: string;
  majorCategory: string;
  middleCategory: string;
  english: string;
  document: DisposalRuleDocument;
}

/**
 * The rule step: a pure lookup of the disposal-rule document for (major, middle) through
 * data/disposal_rules/index.json, read once. Documents are returned verbatim (the app shows them as
 * they are). The chat assistant and the guides use the same documents, so every answer agrees on
 * which document applies.
 */
@Injectable()
export class DisposalRules {
  private readonly rules: DisposalRule[];
  private readonly byCategory: Map<string, DisposalRule>;

  constructor() {
    const index = JSON.parse(readFileSync(dataPath('disposal_rules', 'index.json'), 'utf8')) as {
      rules: RuleIndexEntry[];
    };
    this.rules = index.rules.map((entry) => ({
      key: entry.file.replace(/\.json$/, ''),
      majorCategory: entry.major_category,
      middleCategory: entry.middle_category,
      english: entry.english,
      document: JSON.parse(
        readFileSync(dataPath('disposal_rules', entry.file), 'utf8'),
      ) as DisposalRuleDocument,
    }));
    this.byCategory = new Map(
      this.rules.map((rule) => [keyOf(rule.majorCategory, rule.middleCategory), rule]),
    );
  }

  list(): readonly DisposalRule[] {
    return this.rules;
  }

  find(major: string, middle: string): DisposalRuleDocument | null {
    return this.byCategory.get(keyOf(major, middle))?.document ?? null;
  }
}

const keyOf = (major: string, middle: string): string => `${major}\u0000${middle}`;
