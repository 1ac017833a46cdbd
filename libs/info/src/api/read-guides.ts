import { Injectable } from '@nestjs/common';
import { NotFound } from '#platform';
import { DisposalRules, type DisposalRule } from '#waste';
import type { GuideDto, GuideListDto, GuideSummaryDto } from '../dto/guide.dto.js';

/**
 * `GET /info/guides` and `/info/guides/{key}`: the disposal-rule documents, served as shipped (the
 * scan's rule step reads the same ones, so a guide and a scan result always agree).
 */
@Injectable()
export class ReadGuides {
  constructor(private readonly rules: DisposalRules) {}

  list(): GuideListDto {
    return { guides: this.rules.list().map(toSummary) };
  }

  get(key: string): GuideDto {
    const rule = this.rules.withKey(key);
    if (!rule) throw new NotFound(`No disposal guide ${key}`);
    return { ...toSummary(rule), document: rule.document };
  }
}

function toSummary(rule: DisposalRule): GuideSummaryDto {
  return {
    key: rule.key,
    major_category: rule.majorCategory,
    middle_category: rule.middleCategory,
    name: rule.document.이름,
    english: rule.english,
  };
}
