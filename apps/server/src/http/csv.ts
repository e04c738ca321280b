import { stringify } from 'csv-stringify/sync';

/** What a spreadsheet reads as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet will show as text: one starting with `=`, `+`, `-`, `@`, tab or CR
 * gets a leading `'` (OWASP). Numbers never pass through here, so a negative amount in a numeric
 * column stays a number.
 */
export const neutraliseCell = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * Rows as CSV, the one writer of every CSV the server sends: text cells neutralised, numbers,
 * booleans and empty cells as they are.
 */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows as unknown[][], { cast: { string: neutraliseCell } });
}
