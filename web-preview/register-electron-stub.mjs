// `node --import ./web-preview/register-electron-stub.mjs`: never load the real electron package
// (it would try to download its binary) when main-process code runs under plain Node.
import { register } from 'node:module';

register('./electron-hooks.mjs', import.meta.url);
