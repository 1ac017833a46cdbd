export { WasteClassifierModule, WasteKnowledgeModule } from './waste.module.js';
export {
  RECYCLABLE,
  UNCLASSIFIED,
  WasteTaxonomy,
  type Classification,
  type MiddleCategory,
} from './waste-taxonomy.js';
export {
  DisposalRules,
  disposalSteps,
  refusedItemNotes,
  type DisposalRule,
  type DisposalRuleDocument,
} from './disposal-rules.js';
export { EVERYDAY_WORDS, type EverydayWords } from './everyday-words.js';
export { WasteMatcher, type CategoryMatch } from './waste-matcher.js';
export { normaliseItemName } from './text-similarity.js';
export {
  CLASSIFY_TASK,
  DEFAULT_USER_INPUT,
  WasteClassifier,
  type ClassificationResult,
  type ClassifyInput,
} from './waste-classifier.js';
export { OfflineWasteClassifier } from './offline-waste-classifier.js';
