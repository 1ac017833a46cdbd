export { DisposalRulesModule } from './disposal-rules.module.js';
export { DisposalRules, type DisposalRule } from './disposal-rules.js';
export type { DisposalRuleDocument } from './scan-result.types.js';
