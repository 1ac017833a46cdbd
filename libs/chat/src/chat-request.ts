export const CHAT_QUEUE = 'chat.requested' as const;

/** Body of a `chat.requested` message: the worker reads everything else from the job row. */
export interface ChatRequestedMessage {
  job_id: string;
}
