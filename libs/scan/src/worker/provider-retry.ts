/** Why a job ended `failed`, as the client sees it (result `error.code`, SSE `error`). */
export class ScanStepFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const JOB_TIMEOUT = 'SCAN_TIMEOUT';

export function throwIfTimedOut(signal: AbortSignal): void {
  if (signal.aborted) throw new ScanStepFailed(JOB_TIMEOUT, 'The scan took longer than allowed');
}
