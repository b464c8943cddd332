/** The outcome of validating a configuration: the settings, or why they were refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
