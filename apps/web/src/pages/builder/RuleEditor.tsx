import { useId, useState, type ReactNode } from 'react';
import * as ToggleGroup from '@radix-ui/react-toggle-group';
import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import { BOLLINGER_BANDS, MACD_LINES, NO_STOPS, POSITION_FIELDS, PRICE_FIELDS, RULE_LIMITS, type Operand, type RuleSet } from '@tradewire/contract';
import { Button } from '../../components/ui/button';
import { cn } from '../../lib/utils';
import { useBuilder } from './builder-context';
import {
  BAND_LABELS,
  BUY_CHOICES,
  BUY_NUMBERS,
  MACD_LINE_LABELS,
  OPERAND_CHOICES,
  OPERAND_NUMBERS,
  OPERATOR_CHOICES,
  POSITION_LABELS,
  PRICE_LABELS,
  STOP_CHOICES,
  canNestGroup,
  defaultBuy,
  defaultOperand,
  defaultSell,
  getAt,
  inExit,
  keyOf,
  newComparison,
  newEntryRule,
  newExitRule,
  newGroup,
  numberFromText,
  operatorOf,
  pathLabel,
  textOfNumber,
  withOperator,
  type Group,
  type Leaf,
  type OperandKind,
  type OperatorChoice,
  type Path,
} from './builder-state';

const controlClass =
  'h-9 rounded-md border border-input bg-background px-2 text-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none aria-invalid:border-loss';

/** The first problem at any of `paths`, as a line under the control it belongs to. */
function useProblem(paths: Path[]): { message: string | undefined; id: string } {
  const { errors } = useBuilder();
  const id = useId();
  return { message: paths.map((p) => errors[keyOf(p)]).find((m) => m !== undefined), id: `${id}-problem` };
}

function Problem({ message, id, path }: { message: string | undefined; id: string; path: Path }) {
  if (!message) return null;
  return (
    <p id={id} className="text-xs text-loss" data-testid="rule-error" data-path={keyOf(path)}>
      {message}
    </p>
  );
}

/** A number typed as text: kept as typed while it does not read as a number, so the schema can say why. */
function NumberBox({ path, label, short, className }: { path: Path; label: string; short: string; className?: string }) {
  const { draft, set } = useBuilder();
  const value = getAt(draft, path);
  const [text, setText] = useState(() => textOfNumber(value));
  const [shown, setShown] = useState(value);
  // The value changed from outside (a template, a move): show it.
  if (!Object.is(value, shown)) {
    setShown(value);
    const typed = numberFromText(text);
    if (!Object.is(typed, value)) setText(textOfNumber(value));
  }
  const problem = useProblem([path]);
  return (
    <div className={cn('grid min-w-0 gap-0.5', className)}>
      <span className="text-[11px] text-subtle" aria-hidden>
        {short}
      </span>
      <input
        type="text"
        inputMode="decimal"
        autoComplete="off"
        className={cn(controlClass, 'w-20 tabular')}
        value={text}
        aria-label={label}
        aria-invalid={problem.message ? true : undefined}
        aria-describedby={problem.message ? problem.id : undefined}
        data-testid="number"
        data-path={keyOf(path)}
        onChange={(e) => {
          setText(e.target.value);
          const next = numberFromText(e.target.value);
          setShown(next);
          set(path, next);
        }}
      />
      <Problem {...problem} path={path} />
    </div>
  );
}

/** A native select: keyboard and phone friendly, one tab stop, its options read by screen readers. */
function Choice<T extends string>({
  value,
  options,
  onChange,
  label,
  short,
  path,
  testId,
  problemPaths = [],
}: {
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
  label: string;
  short?: string;
  path: Path;
  testId: string;
  problemPaths?: Path[];
}) {
  const problem = useProblem(problemPaths);
  const known = options.some((o) => o.value === value);
  return (
    <div className="grid min-w-0 gap-0.5">
      {short !== undefined && (
        <span className="text-[11px] text-subtle" aria-hidden>
          {short}
        </span>
      )}
      <select
        className={cn(controlClass, 'max-w-full')}
        value={value}
        aria-label={label}
        aria-invalid={problem.message ? true : undefined}
        aria-describedby={problem.message ? problem.id : undefined}
        data-testid={testId}
        data-path={keyOf(path)}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {!known && <option value={value}>{value}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Problem {...problem} path={problemPaths[0] ?? path} />
    </div>
  );
}

/** Move up, move down and remove for an item of a list; the ends say so instead of disappearing (focus stays). */
function ItemActions({ path, count, label }: { path: Path; count: number; label: string }) {
  const { move, remove } = useBuilder();
  const index = path.at(-1) as number;
  const first = index === 0;
  const last = index === count - 1;
  return (
    <div className="flex shrink-0 items-center gap-0.5" data-item-actions>
      <Button
        size="icon"
        variant="ghost"
        className="size-8"
        aria-label={`Move ${label} up`}
        aria-disabled={first || undefined}
        data-action="up"
        onClick={() => !first && move(path, -1)}
      >
        <ArrowUp />
      </Button>
      <Button
        size="icon"
        variant="ghost"
        className="size-8"
        aria-label={`Move ${label} down`}
        aria-disabled={last || undefined}
        data-action="down"
        onClick={() => !last && move(path, 1)}
      >
        <ArrowDown />
      </Button>
      <Button size="icon" variant="ghost" className="size-8 text-loss hover:bg-loss/10" aria-label={`Remove ${label}`} data-action="remove" onClick={() => remove(path)}>
        <Trash2 />
      </Button>
    </div>
  );
}

const priceOptions = PRICE_FIELDS.map((f) => ({ value: f, label: PRICE_LABELS[f] }));
const positionOptions = POSITION_FIELDS.map((f) => ({ value: f, label: POSITION_LABELS[f] }));
const lineOptions = MACD_LINES.map((f) => ({ value: f, label: MACD_LINE_LABELS[f] }));
const bandOptions = BOLLINGER_BANDS.map((f) => ({ value: f, label: BAND_LABELS[f] }));

/** One side of a comparison: what it reads (a dropdown) and that thing's settings. */
function OperandEditor({ path, label }: { path: Path; label: string }) {
  const { draft, set } = useBuilder();
  const operand = getAt(draft, path) as Operand;
  const exit = inExit(path);
  const kinds = OPERAND_CHOICES.filter((c) => exit || !c.exitOnly || c.kind === operand.kind).map((c) => ({ value: c.kind, label: c.label }));
  const field = (key: string) => [...path, key];
  return (
    <div className="flex min-w-0 flex-wrap items-start gap-1.5" data-testid="operand" data-path={keyOf(path)} data-kind={operand.kind}>
      <Choice<OperandKind>
        value={operand.kind}
        options={kinds}
        onChange={(k) => set(path, defaultOperand(k))}
        label={`${label}: what to read`}
        short={label.split(': ').at(-1)}
        path={path}
        testId="operand-kind"
        problemPaths={[path, field('kind')]}
      />
      {operand.kind === 'price' && (
        <Choice value={operand.field} options={priceOptions} onChange={(v) => set(field('field'), v)} label={`${label}: price`} short="price" path={field('field')} testId="operand-field" problemPaths={[field('field')]} />
      )}
      {operand.kind === 'position' && (
        <Choice value={operand.field} options={positionOptions} onChange={(v) => set(field('field'), v)} label={`${label}: position value`} short="value" path={field('field')} testId="operand-field" problemPaths={[field('field')]} />
      )}
      {operand.kind === 'macd' && (
        <Choice value={operand.line} options={lineOptions} onChange={(v) => set(field('line'), v)} label={`${label}: MACD line`} short="line" path={field('line')} testId="operand-line" problemPaths={[field('line')]} />
      )}
      {operand.kind === 'bollinger' && (
        <Choice value={operand.band} options={bandOptions} onChange={(v) => set(field('band'), v)} label={`${label}: band`} short="band" path={field('band')} testId="operand-band" problemPaths={[field('band')]} />
      )}
      {OPERAND_NUMBERS[operand.kind].map((n) => (
        <NumberBox key={n.key} path={field(n.key)} label={`${label}: ${kinds.find((k) => k.value === operand.kind)?.label ?? operand.kind} ${n.label}`} short={n.label} />
      ))}
    </div>
  );
}

/** A comparison: left side, operator, right side (or value between low and high). */
function LeafEditor({ path, label }: { path: Path; label: string }) {
  const { draft, set } = useBuilder();
  const leaf = getAt(draft, path) as Leaf;
  const op = operatorOf(leaf);
  const problem = useProblem([path]);
  return (
    <div className="grid min-w-0 gap-1" data-testid="comparison" data-path={keyOf(path)}>
      <div className="flex min-w-0 flex-wrap items-start gap-x-3 gap-y-2">
        {leaf.kind === 'compare' ? (
          <>
            <OperandEditor path={[...path, 'left']} label={`${label}: left side`} />
            <Choice<OperatorChoice>
              value={op}
              options={OPERATOR_CHOICES}
              onChange={(o) => set(path, withOperator(leaf, o))}
              label={`${label}: comparison`}
              short="comparison"
              path={[...path, 'op']}
              testId="operator"
              problemPaths={[[...path, 'op']]}
            />
            <OperandEditor path={[...path, 'right']} label={`${label}: right side`} />
          </>
        ) : (
          <>
            <OperandEditor path={[...path, 'value']} label={`${label}: value`} />
            <Choice<OperatorChoice>
              value={op}
              options={OPERATOR_CHOICES}
              onChange={(o) => set(path, withOperator(leaf, o))}
              label={`${label}: comparison`}
              short="comparison"
              path={[...path, 'kind']}
              testId="operator"
            />
            <OperandEditor path={[...path, 'low']} label={`${label}: low`} />
            <OperandEditor path={[...path, 'high']} label={`${label}: high`} />
          </>
        )}
      </div>
      <Problem {...problem} path={path} />
    </div>
  );
}

const combineOptions = [
  { value: 'all' as const, label: 'All of these (AND)' },
  { value: 'any' as const, label: 'Any of these (OR)' },
];

/** A group of conditions joined by AND or OR; its items are comparisons or groups, each movable. */
function GroupEditor({ path, label }: { path: Path; label: string }) {
  const { draft, set, append } = useBuilder();
  const group = getAt(draft, path) as Group;
  const exit = inExit(path);
  const many = draft.rule_sets.length > 1;
  const listPath = [...path, 'conditions'];
  const full = group.conditions.length >= RULE_LIMITS.maxConditionsPerGroup;
  const nest = canNestGroup(path);
  const problem = useProblem([path, listPath]);
  return (
    <fieldset className="grid min-w-0 gap-2 border-l-2 border-border pl-3 max-sm:pl-2" data-testid="group" data-path={keyOf(path)} data-kind={group.kind}>
      <legend className="sr-only">{label} conditions</legend>
      <div className="flex">
        <Choice value={group.kind} options={combineOptions} onChange={(k) => set([...path, 'kind'], k)} label={`${label}: combine conditions`} path={[...path, 'kind']} testId="group-kind" />
      </div>
      <ol className="grid min-w-0 gap-2" data-list={keyOf(listPath)}>
        {group.conditions.map((c, i) => {
          const childPath = [...listPath, i];
          const childLabel = pathLabel(childPath, many);
          const nested = c.kind === 'all' || c.kind === 'any';
          const joiner = i === 0 ? '' : group.kind === 'all' ? 'and ' : 'or ';
          return (
            <li key={i} className="grid min-w-0 gap-1 rounded-md bg-muted/30 p-2 max-sm:px-1.5" data-path={keyOf(childPath)} data-testid="condition">
              <div className="flex min-w-0 items-center justify-between gap-2">
                <span className="text-[11px] font-medium tracking-wide text-subtle uppercase" aria-hidden>
                  {joiner}
                  {nested ? `group ${i + 1}` : `condition ${i + 1}`}
                </span>
                <ItemActions path={childPath} count={group.conditions.length} label={nested ? `${childLabel} (a group)` : childLabel} />
              </div>
              {nested ? <GroupEditor path={childPath} label={childLabel} /> : <LeafEditor path={childPath} label={childLabel} />}
            </li>
          );
        })}
      </ol>
      <div className="flex flex-wrap gap-2" data-add-for={keyOf(listPath)}>
        <Button size="sm" variant="outline" aria-disabled={full || undefined} data-testid="add-condition" onClick={() => !full && append(listPath, newComparison(exit))}>
          <Plus />
          Condition
        </Button>
        <Button
          size="sm"
          variant="outline"
          aria-disabled={full || !nest || undefined}
          title={nest ? undefined : `Groups nest at most ${RULE_LIMITS.maxDepth} deep`}
          data-testid="add-group"
          onClick={() => !full && nest && append(listPath, newGroup(group.kind === 'all' ? 'any' : 'all', exit))}
        >
          <Plus />
          Group ({group.kind === 'all' ? 'OR' : 'AND'})
        </Button>
      </div>
      {full && <p className="text-xs text-subtle">A group holds at most {RULE_LIMITS.maxConditionsPerGroup} conditions: add a group to hold more.</p>}
      <Problem {...problem} path={path} />
    </fieldset>
  );
}

function BuyEditor({ path, label }: { path: Path; label: string }) {
  const { draft, set } = useBuilder();
  const buy = getAt(draft, path) as { kind: (typeof BUY_CHOICES)[number]['kind'] };
  const choices = BUY_CHOICES.map((c) => ({ value: c.kind, label: c.label }));
  return (
    <div className="flex min-w-0 flex-wrap items-start gap-2" data-testid="buy" data-path={keyOf(path)}>
      <span className="self-end pb-2 text-sm font-medium">Then buy</span>
      <Choice value={buy.kind} options={choices} onChange={(k) => set(path, defaultBuy(k))} label={`${label}: buy size`} short="size" path={path} testId="buy-kind" problemPaths={[path, [...path, 'kind']]} />
      {BUY_NUMBERS[buy.kind]?.map((n) => (
        <NumberBox key={n.key} path={[...path, n.key]} label={`${label}: ${n.label}`} short={n.label} />
      ))}
    </div>
  );
}

const sellOptions = [
  { value: 'all' as const, label: 'the whole position' },
  { value: 'part' as const, label: 'part of it' },
];

function SellEditor({ path, label }: { path: Path; label: string }) {
  const { draft, set } = useBuilder();
  const sell = getAt(draft, path) as { kind: 'all' | 'part' };
  return (
    <div className="flex min-w-0 flex-wrap items-start gap-2" data-testid="sell" data-path={keyOf(path)}>
      <span className="self-end pb-2 text-sm font-medium">Then sell</span>
      <Choice value={sell.kind} options={sellOptions} onChange={(k) => set(path, defaultSell(k))} label={`${label}: how much to sell`} short="amount" path={path} testId="sell-kind" problemPaths={[path, [...path, 'kind']]} />
      {sell.kind === 'part' && <NumberBox path={[...path, 'percent']} label={`${label}: % of the position`} short="% of position" />}
    </div>
  );
}

/** One rule: its conditions, then what it does; movable within its list. */
function RuleCard({ path, count, entry }: { path: Path; count: number; entry: boolean }) {
  const { draft } = useBuilder();
  const label = pathLabel(path, draft.rule_sets.length > 1);
  const problem = useProblem([path]);
  return (
    <li className="grid min-w-0 gap-3 rounded-lg border border-border p-3" data-path={keyOf(path)} data-testid={entry ? 'entry-rule' : 'exit-rule'}>
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{label}</h3>
        <ItemActions path={path} count={count} label={label} />
      </div>
      <p className="text-sm text-muted-foreground">{entry ? 'Buy when, while nothing is held:' : 'Sell when, while holding:'}</p>
      <GroupEditor path={[...path, 'when']} label={label} />
      {entry ? <BuyEditor path={[...path, 'buy']} label={label} /> : <SellEditor path={[...path, 'sell']} label={label} />}
      <Problem {...problem} path={path} />
    </li>
  );
}

function RuleList({ setPath, entry }: { setPath: Path; entry: boolean }) {
  const { draft, append } = useBuilder();
  const listPath = [...setPath, entry ? 'entries' : 'exits'];
  const rules = (getAt(draft, listPath) as unknown[]) ?? [];
  const full = rules.length >= RULE_LIMITS.maxRulesPerSet;
  const problem = useProblem([listPath]);
  const title = entry ? 'Entry rules' : 'Exit rules';
  const headingId = useId();
  return (
    <section className="grid min-w-0 gap-2" aria-labelledby={headingId}>
      <h3 id={headingId} className="text-sm font-medium text-muted-foreground">
        {title}
        <span className="ml-2 text-xs font-normal text-subtle">{entry ? 'the first that holds buys' : 'the first that holds sells; stops come first'}</span>
      </h3>
      {rules.length === 0 && !entry && <p className="text-xs text-subtle">No exit rule: positions are sold only by the stops below.</p>}
      <ol className="grid min-w-0 gap-3" data-list={keyOf(listPath)}>
        {rules.map((_, i) => (
          <RuleCard key={i} path={[...listPath, i]} count={rules.length} entry={entry} />
        ))}
      </ol>
      <div data-add-for={keyOf(listPath)}>
        <Button
          size="sm"
          variant="outline"
          aria-disabled={full || undefined}
          data-testid={entry ? 'add-entry-rule' : 'add-exit-rule'}
          onClick={() => !full && append(listPath, entry ? newEntryRule() : newExitRule())}
        >
          <Plus />
          {entry ? 'Entry rule' : 'Exit rule'}
        </Button>
      </div>
      <Problem {...problem} path={listPath} />
    </section>
  );
}

/** Stop-loss, take-profit, trailing stops and a time stop: each a checkbox and its numbers. */
function StopsEditor({ setPath }: { setPath: Path }) {
  const { draft, set } = useBuilder();
  const path = [...setPath, 'stops'];
  const stops = (getAt(draft, path) as RuleSet['stops'] | undefined) ?? NO_STOPS;
  const many = draft.rule_sets.length > 1;
  const prefix = many ? `${pathLabel(setPath, true)} ` : '';
  const problem = useProblem([path]);
  const headingId = useId();
  return (
    <section className="grid min-w-0 gap-2" aria-labelledby={headingId} data-testid="stops" data-path={keyOf(path)}>
      <h3 id={headingId} className="text-sm font-medium text-muted-foreground">
        Stops
        <span className="ml-2 text-xs font-normal text-subtle">checked at each day’s open, before the exit rules</span>
      </h3>
      <ul className="grid min-w-0 gap-2">
        {STOP_CHOICES.map((choice) => {
          const value = stops[choice.key];
          const on = value !== null && value !== undefined;
          const stopPath = [...path, choice.key];
          return (
            <StopRow key={choice.key} label={`${prefix}${choice.label}`} on={on} testId={`stop-${choice.key}`} onToggle={(checked) => set(stopPath, checked ? choice.on : null)}>
              {on && choice.key === 'trailing_atr' && (
                <>
                  <NumberBox path={[...stopPath, 'multiple']} label={`${prefix}ATR trailing stop: multiple of ATR`} short="× ATR" />
                  <NumberBox path={[...stopPath, 'period']} label={`${prefix}ATR trailing stop: ATR days`} short="ATR days" />
                </>
              )}
              {on && choice.key !== 'trailing_atr' && (
                <NumberBox
                  path={stopPath}
                  label={`${prefix}${choice.label}: ${choice.key === 'max_holding_days' ? 'days' : '%'}`}
                  short={choice.key === 'max_holding_days' ? 'days' : choice.key === 'take_profit_pct' ? '% above entry' : choice.key === 'stop_loss_pct' ? '% below entry' : '% below the high'}
                />
              )}
            </StopRow>
          );
        })}
      </ul>
      <Problem {...problem} path={path} />
    </section>
  );
}

function StopRow({ label, on, onToggle, testId, children }: { label: string; on: boolean; onToggle: (on: boolean) => void; testId: string; children: ReactNode }) {
  const id = useId();
  return (
    <li className="flex min-h-11 min-w-0 flex-wrap items-end gap-3" data-testid={testId} data-on={on}>
      <label htmlFor={id} className="flex min-h-11 cursor-pointer items-center gap-2 self-end text-sm">
        <input id={id} type="checkbox" className="size-4 accent-blue-600" checked={on} onChange={(e) => onToggle(e.target.checked)} />
        {label}
      </label>
      {children}
    </li>
  );
}

/** The symbols a rule set trades: chosen from the model's symbols (empty: every symbol no other set lists). */
function SetSymbols({ setPath }: { setPath: Path }) {
  const { draft, symbols, set } = useBuilder();
  const path = [...setPath, 'symbols'];
  const chosen = (getAt(draft, path) as string[] | undefined) ?? [];
  const labelId = useId();
  const problem = useProblem([path, ...chosen.map((_, i) => [...path, i])]);
  const options = [...new Set([...symbols, ...chosen])];
  return (
    <div className="grid min-w-0 gap-1.5" data-testid="set-symbols">
      <p id={labelId} className="text-sm font-medium">
        Symbols <span className="font-normal text-subtle">{chosen.length === 0 ? '(none chosen: every symbol no other set lists)' : `(${chosen.length} chosen)`}</span>
      </p>
      <ToggleGroup.Root type="multiple" value={chosen} onValueChange={(v) => set(path, v)} loop className="flex flex-wrap gap-1.5" aria-labelledby={labelId} aria-describedby={problem.message ? problem.id : undefined}>
        {options.map((s) => (
          <ToggleGroup.Item
            key={s}
            value={s}
            className="rounded-full border border-border px-2.5 py-1 text-xs text-muted-foreground hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none data-[state=on]:border-info data-[state=on]:bg-info/15 data-[state=on]:text-blue-300 max-sm:min-h-11 max-sm:px-3.5"
          >
            {s}
          </ToggleGroup.Item>
        ))}
      </ToggleGroup.Root>
      <Problem {...problem} path={path} />
    </div>
  );
}

/** Every rule set of the document: entries, exits and stops; symbols and moving only when there are several. */
export function RuleSetsEditor() {
  const { draft, append } = useBuilder();
  const many = draft.rule_sets.length > 1;
  const full = draft.rule_sets.length >= RULE_LIMITS.maxRuleSets;
  const problem = useProblem([['rule_sets'], []]);
  return (
    <div className="grid min-w-0 gap-4" data-testid="rule-sets">
      <ol className="grid min-w-0 gap-4" data-list="rule_sets">
        {draft.rule_sets.map((set, i) => {
          const setPath = ['rule_sets', i];
          return (
            <li key={i} className="grid min-w-0 gap-4" data-path={keyOf(setPath)} data-testid="rule-set">
              {(many || set.symbols.length > 0) && (
                <div className="flex items-start justify-between gap-2">
                  <div className="grid min-w-0 gap-1">
                    <h3 className="text-sm font-semibold">Rule set {i + 1}</h3>
                    <SetSymbols setPath={setPath} />
                  </div>
                  <ItemActions path={setPath} count={draft.rule_sets.length} label={`rule set ${i + 1}`} />
                </div>
              )}
              <RuleList setPath={setPath} entry />
              <RuleList setPath={setPath} entry={false} />
              <StopsEditor setPath={setPath} />
              {many && i < draft.rule_sets.length - 1 && <hr className="border-border" />}
            </li>
          );
        })}
      </ol>
      <div data-add-for="rule_sets">
        <Button size="sm" variant="ghost" aria-disabled={full || undefined} data-testid="add-rule-set" onClick={() => !full && append(['rule_sets'], { symbols: [], entries: [newEntryRule()], exits: [], stops: { ...NO_STOPS } })}>
          <Plus />
          Rule set for other symbols
        </Button>
      </div>
      <Problem {...problem} path={['rule_sets']} />
    </div>
  );
}
