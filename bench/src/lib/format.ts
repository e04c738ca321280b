/** Markdown tables and number formats for the report. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const align = headers.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(headers), line(align), ...rows.map(line)].join('\n');
}

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
/** Milliseconds with precision that suits their size. */
export const ms = (n: number) => (n < 1 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : int(n));
export const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');
export const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
