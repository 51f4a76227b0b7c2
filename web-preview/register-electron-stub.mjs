// `node --import ./web-preview/register-electron-stub.mjs`: never load the real electron package
// (it would try to download its binary) when main-process code runs under plain Node. Both module
// systems are covered: tsx may load an ESM dependency through require().
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';

register('./electron-hooks.mjs', import.meta.url);

const stubPath = fileURLToPath(new URL('./electron-stub.cjs', import.meta.url));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'electron') return stubPath;
  return resolveFilename.call(this, request, ...rest);
};
