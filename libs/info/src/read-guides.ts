import { Injectable } from '@nestjs/common';
import { DisposalGuideCatalog, type DisposalGuide } from './disposal-guide-catalog.js';
import type { GuideDto, GuideListDto, GuideSummaryDto } from './dto/guide.dto.js';

/** `GET /info/guides` and `/info/guides/{key}`: the disposal-rule documents, served as shipped. */
@Injectable()
export class ReadGuides {
  constructor(private readonly catalog: DisposalGuideCatalog) {}

  list(): GuideListDto {
    return { guides: this.catalog.list().map(toSummary) };
  }

  get(key: string): GuideDto {
    const guide = this.catalog.get(key);
    return { ...toSummary(guide), document: guide.document };
  }
}

function toSummary(guide: DisposalGuide): GuideSummaryDto {
  return {
    key: guide.key,
    major_category: guide.majorCategory,
    middle_category: guide.middleCategory,
    name: guide.document.이름,
    english: guide.english,
  };
}
