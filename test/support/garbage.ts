// fast-check generators of hostile values: what a compromised renderer could send over IPC
// (anything structured clone carries), aimed at argument validation.
import fc from 'fast-check';

export const UUID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

/** `obj` plus an own `key` (as JSON.parse makes it, so `__proto__` stays a plain own key). */
export const withOwnKey = (obj: object, key: string, value: unknown): unknown =>
  JSON.parse(`${JSON.stringify(obj).slice(0, -1)},"${key}":${JSON.stringify(value)}}`);

export const huge = fc.integer({ min: 20_000, max: 2_000_000 }).map((n) => 'A'.repeat(n));
export const nasty = fc.constantFrom(
  NaN,
  Infinity,
  -Infinity,
  -0,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
);
export const deep = fc.integer({ min: 50, max: 5_000 }).map((depth) => {
  let v: unknown = { id: UUID };
  for (let i = 0; i < depth; i++) v = i % 2 ? { id: v } : [v];
  return v;
});
/** Objects carrying keys no schema accepts: `__proto__` (as JSON.parse makes it), constructor, … */
export const protoKeyed = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'zzUnknown'), fc.anything())
  .map(([key, value]) => {
    const json = `{"${key}":${JSON.stringify(value ?? null) ?? 'null'}}`;
    return JSON.parse(json) as unknown;
  });
export const anyValue = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});
/**
 * Anything, but a plain (or null-prototype) object always gets a key no argument schema knows,
 * so it cannot be valid.
 */
export const garbage = fc.oneof(
  anyValue
    .filter((v) => v !== undefined)
    .map((v) =>
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null)
        ? { ...v, zz_unknown_key: 1 }
        : v,
    ),
  huge,
  nasty,
  deep,
  protoKeyed,
  fc.constant(null),
  fc.array(fc.constant({ id: UUID }), { minLength: 1, maxLength: 3 }),
);
