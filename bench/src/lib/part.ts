/** One benchmark of `npm run bench`: runs, then renders its section of docs/benchmarks.md. */
export interface Part<Options> {
  name: string;
  title: string;
  /** Options for the default run (finishes within the 10-minute budget) or `--full`. */
  options(flags: Flags): Options;
  run(options: Options, log: (line: string) => void): Promise<{ markdown: string; data: unknown }>;
}

export interface Flags {
  full: boolean;
  /** `--name=value` pairs given on the command line, for overriding single options. */
  values: Record<string, string>;
}

export interface PartResult {
  name: string;
  title: string;
  /** ISO time the part finished. */
  date: string;
  seconds: number;
  /** The section body: what was measured, tables, ratios. */
  markdown: string;
  data: unknown;
}

export const numbers = (s: string | undefined, fallback: number[]) => (s ? s.split(',').map(Number).filter((n) => n > 0) : fallback);
export const number = (s: string | undefined, fallback: number) => (s !== undefined && Number(s) > 0 ? Number(s) : fallback);
