/** The BullMQ queue that carries runs from API nodes to workers, and the channel that stops them. */
export interface QueueConfig {
  url: string;
  prefix: string;
}

export interface RunJob {
  run_id: number;
  model_id: number;
}

export const QUEUE = 'runs';
export const connection = (url: string) => ({ url, maxRetriesPerRequest: null });
export const jobId = (runId: number) => `run-${runId}`;
export const stopChannel = (prefix: string) => `${prefix}:stop`;
