/** Values longer than this are tested afresh every time; they rarely repeat. */
const REMEMBERED_LENGTH = 256;
/** Answers kept per test; the memory is dropped whole when full. */
const REMEMBERED_VALUES = 4096;

/**
 * A test of text that remembers its answers for short values. Traffic repeats itself (the same
 * domains, user agents and URLs all day) while a regular expression or a list of prefixes costs
 * pattern × input per test, so one lookup replaces the work. Bounded, and it changes only speed:
 * the answer for a value never changes.
 */
export function rememberingAnswers(test: (value: string) => boolean): (value: string) => boolean {
  const answers = new Map<string, boolean>();
  return (value) => {
    if (value.length > REMEMBERED_LENGTH) return test(value);
    const known = answers.get(value);
    if (known !== undefined) return known;
    const answer = test(value);
    if (answers.size >= REMEMBERED_VALUES) answers.clear();
    answers.set(value, answer);
    return answer;
  };
}
