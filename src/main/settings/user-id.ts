// Pieces OS user ids are UUIDs; other identity providers use ids like "github|123" or "a@b". The
// pattern accepts those but not ids that could be mistaken for something else in a file or a path:
// no leading "_" or "." (rules out `__proto__`, `..`), no "/" or whitespace, bounded length.
const USER_ID = /^[A-Za-z0-9][\w.:|@-]{0,127}$/;
// Dropped from every JSON file we read (see json-file.ts), so an account by that id could not be
// stored.
const RESERVED = new Set(['constructor', 'prototype']);

export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value) && !RESERVED.has(value);
}
