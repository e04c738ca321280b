import { type AssistantCitation, CITATION_PATTERN } from '@tradewire/contract';

/** Where a cited trade or day is shown: its run page, on the Fills tab, with it selected. */
export function citationHref(c: AssistantCitation): string {
  const base = `/models/${c.model_id}/runs/${c.run_number}?tab=fills`;
  return c.kind === 'trade' ? `${base}&trade=${c.trade_id}` : `${base}&day=${c.date}`;
}

/**
 * The answer's Markdown with each checked citation turned into a link; a marker the server did
 * not confirm (a trade id that is not the user's, a day outside the run) stays plain text.
 */
export function linkCitations(content: string, citations: readonly AssistantCitation[]): string {
  const trades = new Map(citations.flatMap((c) => (c.kind === 'trade' ? [[c.trade_id, c] as const] : [])));
  const days = new Map(citations.flatMap((c) => (c.kind === 'day' ? [[c.date, c] as const] : [])));
  return content.replace(CITATION_PATTERN, (marker, trade: string | undefined, id: string | undefined, _day: string | undefined, date: string | undefined) => {
    const c = trade ? trades.get(Number(id)) : days.get(date!);
    if (!c) return marker;
    const label = c.kind === 'trade' ? `trade #${c.trade_id}` : c.date;
    return `[${label}](${citationHref(c)})`;
  });
}
