import { z } from 'zod';
import { RuleDocument } from './rules.js';

/** What a shared strategy file says it is; a file of another format is refused at `format`. */
export const STRATEGY_FILE_FORMAT = 'tradewire-strategy';
/** The file's own version; the rule document inside carries its `version` too. */
export const STRATEGY_FILE_VERSION = 1;
/** Largest file the dashboard reads. */
export const STRATEGY_FILE_MAX_BYTES = 1_048_576;

/** A rule-based strategy as a file to share: its name and description with the rule document. */
export const StrategyFile = z.strictObject({
  format: z.literal(STRATEGY_FILE_FORMAT, { error: `must be ${STRATEGY_FILE_FORMAT}` }),
  version: z.literal(STRATEGY_FILE_VERSION, { error: `must be ${STRATEGY_FILE_VERSION}` }),
  name: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  description: z.string({ error: 'must be a string' }).max(2000, 'must be at most 2000 characters').default(''),
  rules: RuleDocument,
});
export type StrategyFile = z.infer<typeof StrategyFile>;

export function strategyFile(name: string, description: string, rules: RuleDocument): StrategyFile {
  return { format: STRATEGY_FILE_FORMAT, version: STRATEGY_FILE_VERSION, name: name.trim() || 'Strategy', description, rules };
}

export interface StrategyFileProblem {
  /** Where in the file, dotted (`rules.rule_sets.0.entries.0.buy.percent`); `(file)` for the file as a whole. */
  path: string;
  message: string;
}

export type StrategyFileRead = { ok: true; file: StrategyFile } | { ok: false; problems: StrategyFileProblem[] };

/**
 * Reads a strategy file's text. A bare rule document (`{"version": 1, "rule_sets": [...]}`, the
 * params of a `rules` model) is read too, named `Imported strategy`, its paths still under `rules`.
 */
export function readStrategyFile(text: string): StrategyFileRead {
  if (text.length > STRATEGY_FILE_MAX_BYTES) return { ok: false, problems: [{ path: '(file)', message: `is larger than ${STRATEGY_FILE_MAX_BYTES / 1_048_576} MB` }] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '(file)', message: `is not JSON (${e instanceof Error ? e.message : String(e)})` }] };
  }
  const bare = json !== null && typeof json === 'object' && !Array.isArray(json) && !('format' in json) && 'rule_sets' in json;
  const parsed = StrategyFile.safeParse(bare ? strategyFile('Imported strategy', '', json as RuleDocument) : json);
  if (parsed.success) return { ok: true, file: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({ path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(file)', message: issue.message })),
  };
}
