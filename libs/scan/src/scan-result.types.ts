/** The JSON shapes the app reads (API.md, scan): kept in one place so worker, API and history agree. */

export interface Classification {
  major_category: string;
  middle_category: string;
  /** Always a string in a stored result: the app prints it in a sentence (falls back to the middle). */
  minor_category: string;
}

export interface ClassificationResult {
  classification: Classification;
  situation_tags: string[];
  meta: { user_input: string };
}

export interface FinalAnswer {
  /** `{"단계1": "...", "단계2": ...}`; the app shows them in key order. */
  disposal_steps: Record<string, string>;
  /** Only what the user still has to do; any non-blank entry withholds the reward. */
  insufficiencies: string[];
  user_answer: string;
}

/** One disposal-rule document as shipped in data/disposal_rules (Korean field names kept as-is). */
export interface DisposalRuleDocument {
  key: string;
  category: string;
  이름: string;
  대상_품목: string[];
  대상_설명?: string[];
  세부_품목: Record<string, string[]>;
  배출방법_공통?: string[];
  배출방법_세부?: Record<string, string[]>;
  배출불가_품목_안내?: Record<string, string>;
  [field: string]: unknown;
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
