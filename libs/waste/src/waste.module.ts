import { Module } from '@nestjs/common';
import { DisposalRules } from './disposal-rules.js';
import { OfflineWasteClassifier } from './offline-waste-classifier.js';
import { WasteClassifier } from './waste-classifier.js';
import { WasteMatcher } from './waste-matcher.js';
import { WasteTaxonomy } from './waste-taxonomy.js';

/**
 * The waste knowledge without any AI: taxonomy, rule documents and the word matcher, read once per
 * process. For pods that only look things up (info's guides and item search, the scan API).
 */
@Module({
  providers: [WasteTaxonomy, DisposalRules, WasteMatcher],
  exports: [WasteTaxonomy, DisposalRules, WasteMatcher],
})
export class WasteKnowledgeModule {}

/**
 * The knowledge plus the classifier through the AI provider port, and its offline stand-in
 * registered on the local provider. For the AI worker (scan vision, chat vision).
 */
@Module({
  imports: [WasteKnowledgeModule],
  providers: [WasteClassifier, OfflineWasteClassifier],
  exports: [WasteKnowledgeModule, WasteClassifier],
})
export class WasteClassifierModule {}
