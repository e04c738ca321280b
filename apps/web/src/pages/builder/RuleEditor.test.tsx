import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RULE_TEMPLATES } from '@tradewire/contract';
import { BuilderContext } from './builder-context';
import { blankDocument, checkDraft, toDraft, type Draft } from './builder-state';
import { RuleSetsEditor } from './RuleEditor';
import { useRuleEditing } from './use-rule-editing';

let latest: Draft | null = null;

function Harness({ initial }: { initial: Draft }) {
  const { draft, editing } = useRuleEditing(initial, ['ZNTH', 'QLLX']);
  latest = draft;
  return (
    <BuilderContext.Provider value={editing}>
      <RuleSetsEditor />
    </BuilderContext.Provider>
  );
}

const dip = () => toDraft(RULE_TEMPLATES.find((t) => t.id === 'rsi_dip')!.document);
const combo = (name: string) => screen.getByRole('combobox', { name });
const box = (name: string) => screen.getByRole('textbox', { name });
const button = (name: string) => screen.getByRole('button', { name });
const leftKinds = () => (latest!.rule_sets[0]!.entries[0]!.when as { conditions: { left: { kind: string } }[] }).conditions.map((c) => c.left.kind);

describe('the rule editor', () => {
  it('shows the schema’s word at the number field while it is wrong, and takes the number once it reads as one', () => {
    render(<Harness initial={blankDocument()} />);
    const value = box('Entry rule 1, condition 1: right side: Number value');
    expect(value).toHaveProperty('value', '30');

    fireEvent.change(value, { target: { value: '3o' } });
    expect(value.getAttribute('aria-invalid')).toBe('true');
    const problem = document.getElementById(value.getAttribute('aria-describedby')!);
    expect(problem?.textContent).toBe('must be a number');
    // What was typed stays as typed, so it can be corrected.
    expect(value).toHaveProperty('value', '3o');
    expect(checkDraft(latest!).document).toBeNull();

    fireEvent.change(value, { target: { value: '25' } });
    expect(value.getAttribute('aria-invalid')).toBeNull();
    expect(checkDraft(latest!).document?.rule_sets[0]!.entries[0]!.when).toEqual({ kind: 'compare', left: { kind: 'rsi', period: 14 }, op: 'below', right: { kind: 'constant', value: 25 } });
  });

  it('offers each operand’s settings as dropdowns and numbers, and position values only in exits', () => {
    render(<Harness initial={dip()} />);
    fireEvent.change(combo('Entry rule 1, condition 1: left side: what to read'), { target: { value: 'macd' } });
    expect(combo('Entry rule 1, condition 1: left side: MACD line')).toHaveProperty('value', 'macd');
    expect(['fast', 'slow', 'signal'].map((n) => (box(`Entry rule 1, condition 1: left side: MACD ${n}`) as HTMLInputElement).value)).toEqual(['12', '26', '9']);

    const entryKinds = [...(combo('Entry rule 1, condition 1: right side: what to read') as HTMLSelectElement).options].map((o) => o.value);
    const exitKinds = [...(combo('Exit rule 1, condition 1: right side: what to read') as HTMLSelectElement).options].map((o) => o.value);
    expect(entryKinds).not.toContain('position');
    expect(exitKinds).toContain('position');

    fireEvent.change(combo('Exit rule 1, condition 1: comparison'), { target: { value: 'between' } });
    expect(combo('Exit rule 1, condition 1: high: what to read')).toHaveProperty('value', 'constant');
    expect(latest!.rule_sets[0]!.exits[0]!.when).toMatchObject({ conditions: [{ kind: 'between', value: { kind: 'rsi' }, low: { kind: 'constant', value: 70 } }] });
  });

  it('reorders with buttons, focus following the moved condition; adds into and removes from a list, focus staying in it', async () => {
    render(<Harness initial={dip()} />);
    expect(leftKinds()).toEqual(['rsi', 'price']);

    const up = button('Move Entry rule 1, condition 2 up');
    up.focus();
    act(() => up.click());
    expect(leftKinds()).toEqual(['price', 'rsi']);
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Move Entry rule 1, condition 1 up'));
    // At the top, "up" says it cannot go further, and keeps focus rather than disabling.
    expect(document.activeElement?.getAttribute('aria-disabled')).toBe('true');
    act(() => (document.activeElement as HTMLElement).click());
    expect(leftKinds()).toEqual(['price', 'rsi']);

    const adds = screen.getAllByRole('button', { name: 'Condition' });
    act(() => adds[0]!.click());
    expect(leftKinds()).toEqual(['price', 'rsi', 'rsi']);
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Entry rule 1, condition 3: left side: what to read'));

    act(() => button('Remove Entry rule 1, condition 3').click());
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Remove Entry rule 1, condition 2'));
    act(() => button('Remove Entry rule 1, condition 2').click());
    act(() => button('Remove Entry rule 1, condition 1').click());
    // The group is empty: the schema's word shows at the group, and focus is on its add button.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Condition'));
    expect(screen.getAllByTestId('rule-error').map((e) => e.textContent)).toContain('must hold at least one condition');
  });

  it('nests groups at most four deep: the button says so instead of adding a fifth level', () => {
    render(<Harness initial={blankDocument()} />);
    const addGroupIn = (groupPath: string) => document.querySelector<HTMLButtonElement>(`[data-add-for="${groupPath}.conditions"] [data-testid=add-group]`)!;
    let path = 'rule_sets.0.entries.0.when';
    for (let depth = 1; depth < 4; depth++) {
      expect(addGroupIn(path).getAttribute('aria-disabled')).toBeNull();
      act(() => addGroupIn(path).click());
      path = `${path}.conditions.1`;
      expect(document.querySelector(`[data-testid=group][data-path="${path}"]`)).not.toBeNull();
    }
    // The fourth level: adding a group inside it is refused, and it says why.
    const button = addGroupIn(path);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.getAttribute('title')).toBe('Groups nest at most 4 deep');
    act(() => button.click());
    expect(document.querySelector(`[data-testid=group][data-path="${path}.conditions.1"]`)).toBeNull();
    // Groups alternate AND and OR as they nest, and every level is valid as it stands.
    expect([...document.querySelectorAll('[data-testid=group]')].map((g) => g.getAttribute('data-kind'))).toEqual(['all', 'any', 'all', 'any']);
    expect(checkDraft(latest!).errors).toEqual({});
  });

  it('switches stops on with a sensible value and off again', () => {
    render(<Harness initial={blankDocument()} />);
    const trailing = screen.getByRole('checkbox', { name: 'ATR trailing stop' });
    act(() => trailing.click());
    expect(latest!.rule_sets[0]!.stops.trailing_atr).toEqual({ period: 14, multiple: 3 });
    expect(box('ATR trailing stop: multiple of ATR')).toHaveProperty('value', '3');
    act(() => trailing.click());
    expect(latest!.rule_sets[0]!.stops.trailing_atr).toBeNull();
    expect(screen.queryByRole('textbox', { name: 'ATR trailing stop: multiple of ATR' })).toBeNull();
  });
});
