/** Body of a `scan.requested` message (published by the outbox relay, consumed by the AI worker). */
export interface ScanRequestedMessage {
  job_id: string;
  user_id: string;
  image_key: string;
  user_input: string | null;
}

export const SCAN_QUEUE = 'scan.requested' as const;
