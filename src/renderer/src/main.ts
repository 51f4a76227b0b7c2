import { boot } from './boot';
import { bootPalette } from './palette/boot-palette';
import { viewOf } from './view';

const target = document.getElementById('app');
if (target) {
  const bridge = window.pieces;
  // Without a bridge, boot() says why the page cannot work, whichever view was asked for.
  if (viewOf(location.search) === 'palette' && bridge) {
    document.body.classList.add('palette-body');
    bootPalette(target, bridge);
  } else boot(target, bridge);
}
