import type { ClassificationResult, DisposalRuleDocument } from '#waste';

/**
 * The JSON shapes the app reads (API.md, scan): kept in one place so worker, API and history agree.
 * The classification and the rule document are the waste lib's, as the classifier and the rules give them.
 */
export type { ClassificationResult, DisposalRuleDocument };

export interface FinalAnswer {
  /** `{"단계1": "...", "단계2": ...}`; the app shows them in key order. */
  disposal_steps: Record<string, string>;
  /** Only what the user still has to do; any non-blank entry withholds the reward. */
  insufficiencies: string[];
  user_answer: string;
}

export interface PipelineResult {
  classification_result: ClassificationResult;
  disposal_rules: DisposalRuleDocument | null;
  final_answer: FinalAnswer;
}

export interface ScanReward {
  code: string;
  name: string;
  dialog: string;
  type: string;
  match_reason: string;
  received: boolean;
  already_owned: boolean;
}

export interface ScanFailure {
  code: string;
  message: string;
}

export type ScanJobStatus = 'queued' | 'running' | 'completed' | 'failed';
