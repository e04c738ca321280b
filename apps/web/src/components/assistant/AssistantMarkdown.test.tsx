import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { AssistantCitation } from '@tradewire/contract';
import { AssistantMarkdown } from './AssistantMarkdown';
import { linkCitations } from './citations';

const trade = (trade_id: number): AssistantCitation => ({ kind: 'trade', trade_id, model_id: 3, run_id: 17, run_number: 2, date: '2026-03-04' });
const day: AssistantCitation = { kind: 'day', date: '2026-03-05', model_id: 3, run_id: 17, run_number: 2 };

const renderAnswer = (content: string, citations: AssistantCitation[] = []) =>
  render(
    <MemoryRouter>
      <AssistantMarkdown content={content} citations={citations} />
    </MemoryRouter>,
  );

describe('AssistantMarkdown', () => {
  it('shows raw HTML as text: no script, no element from the answer', () => {
    const { container } = renderAnswer('Look: <script>window.hacked = 1</script> and <img src=x onerror="window.hacked=2"> **bold**');
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<script>window.hacked = 1</script>');
    expect(container.querySelector('strong')?.textContent).toBe('bold');
    expect((window as { hacked?: number }).hacked).toBeUndefined();
  });

  it('drops javascript: links and sends other sites to a new tab', () => {
    const { container } = renderAnswer('[click](javascript:alert(1)) and [docs](https://example.com)');
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).not.toContain('javascript:alert(1)');
    const docs = screen.getByText('docs');
    expect(docs.getAttribute('target')).toBe('_blank');
    expect(docs.getAttribute('rel')).toContain('noopener');
  });

  it('turns confirmed citations into links to the trade or day on the run page; others stay text', () => {
    renderAnswer('Worst: [trade 41] and [trade 42] on [day 2026-03-05]; also [trade 999].', [trade(41), trade(42), day]);
    const links = screen.getAllByTestId('assistant-citation');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['trade #41', '/models/3/runs/2?tab=fills&trade=41'],
      ['trade #42', '/models/3/runs/2?tab=fills&trade=42'],
      ['2026-03-05', '/models/3/runs/2?tab=fills&day=2026-03-05'],
    ]);
    expect(screen.getByText(/\[trade 999\]/)).toBeTruthy();
  });

  it('rewrites only the markers it knows', () => {
    expect(linkCitations('[trade #7] [day 2026-01-02] [trade x]', [trade(7)])).toBe('[trade #7](/models/3/runs/2?tab=fills&trade=7) [day 2026-01-02] [trade x]');
  });
});
