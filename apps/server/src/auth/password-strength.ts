import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

let zxcvbn: ZxcvbnFactory | undefined;
/** Built on first use: the dictionaries take a moment to load. */
const estimator = () =>
  (zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  }));

/**
 * Why a new password is refused, or null when it is good enough: equal to the email (or its
 * name part), or guessable by zxcvbn's estimate (score below `minScore`, 0-4), which also
 * counts the email and display name as words an attacker would try first.
 */
export async function passwordProblem(password: string, account: { email: string; displayName?: string | undefined }, minScore: number): Promise<string | null> {
  const email = account.email.toLowerCase();
  const name = email.split('@')[0] ?? '';
  const plain = password.trim().toLowerCase();
  if (plain === email || (name.length >= 4 && plain === name)) return 'must not be your email address';
  const result = await estimator().check(password, [email, name, ...(account.displayName ? [account.displayName] : [])]);
  if (result.score >= minScore) return null;
  const why = result.feedback.warning ?? result.feedback.suggestions[0];
  return `is too easy to guess${why ? ` (${why.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())})` : ''}: use a few uncommon words or a longer mix`;
}
