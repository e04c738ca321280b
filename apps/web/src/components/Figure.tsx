/** One labelled figure in a `dl` grid: a name, its value (coloured by `tone`), and an optional line under it. */
export function Figure({ label, value, tone, detail, testId }: { label: string; value: string; tone?: string; detail?: string; testId?: string }) {
  return (
    <div className="min-w-0 rounded-lg border border-border p-3" data-testid={testId}>
      <dt className="truncate text-xs text-subtle">{label}</dt>
      <dd className={`mt-0.5 truncate font-medium tabular ${tone ?? ''}`}>{value}</dd>
      {detail && <dd className="text-xs text-muted-foreground">{detail}</dd>}
    </div>
  );
}
