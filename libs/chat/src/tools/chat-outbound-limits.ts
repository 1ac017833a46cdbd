import type { AppConfig, OutboundLimits } from '#platform';

/** The bounds every outside-service call of the assistant's tools applies (the tool timeout bounds the whole tool). */
export function chatOutboundLimits(config: AppConfig): OutboundLimits {
  return {
    timeoutMs: config.int('CHAT_OUTBOUND_TIMEOUT_MS'),
    maxBytes: config.int('CHAT_OUTBOUND_MAX_BYTES'),
  };
}
