// ESM resolve hook: `electron` -> ./electron-stub.cjs (see register-electron-stub.mjs).
const stub = new URL('./electron-stub.cjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: stub, shortCircuit: true };
  return nextResolve(specifier, context);
}
