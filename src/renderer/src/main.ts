import { boot } from './boot';

const target = document.getElementById('app');
if (target) boot(target, window.pieces);
