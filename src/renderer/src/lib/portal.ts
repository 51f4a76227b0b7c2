// Moves an element to the end of <body> while it is shown: a menu opened from a row of the
// virtual list must escape the row's transform (which would make position: fixed relative to the
// row) and the list's overflow clipping. It goes into <main> (a landmark, so assistive tech and
// axe find it inside the page's structure), else <body>.
export function portal(node: HTMLElement): { destroy: () => void } {
  (document.querySelector('main') ?? document.body).append(node);
  return { destroy: () => node.remove() };
}
