import { boot } from './boot';
import { viewOf } from './view';

const target = document.getElementById('app');
if (target) {
  const bridge = window.pieces;
  // Without a bridge, boot() says why the page cannot work, whichever view was asked for.
  if (viewOf(location.search) === 'palette' && bridge) {
    document.body.classList.add('palette-body');
    void import('./palette/boot-palette').then(({ bootPalette }) => bootPalette(target, bridge));
  } else boot(target, bridge);
}
