import { type AssistantCitation, CITATION_PATTERN } from '@tradewire/contract';
import type { RunRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';

/** Most citations one answer keeps. */
const MAX_CITATIONS = 100;

/**
 * The trades and days an answer cites, each checked against the user's own data: a trade id is
 * kept only when it is a trade of one of the user's runs; a day only when it lies within the
 * conversation's run. What does not check out stays plain text.
 */
export async function citationsOf(text: string, a: { storage: Storage; userId: number; run: RunRecord | null }): Promise<AssistantCitation[]> {
  const tradeIds = new Set<number>();
  const days = new Set<string>();
  for (const m of text.matchAll(CITATION_PATTERN)) {
    if (m[1]) tradeIds.add(Number(m[2]));
    else if (m[3]) days.add(m[4]!);
  }
  const refs = await a.storage.assistant.tradeRefs(a.userId, [...tradeIds].slice(0, MAX_CITATIONS));
  const citations: AssistantCitation[] = refs.sort((x, y) => x.trade_id - y.trade_id).map((r) => ({ kind: 'trade', ...r }));
  const run = a.run;
  if (run) {
    for (const date of [...days].sort()) {
      if (date < run.start_date || date > run.end_date || citations.length >= MAX_CITATIONS) continue;
      citations.push({ kind: 'day', date, model_id: run.model_id, run_id: run.id, run_number: run.run_number });
    }
  }
  return citations;
}
