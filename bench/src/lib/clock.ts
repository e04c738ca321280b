/**
 * Milliseconds on CLOCK_MONOTONIC (fractional). Every process on one machine reads the same
 * clock, so a time stamped in the server can be subtracted from one read in a client.
 */
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
