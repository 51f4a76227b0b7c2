// Moves an element to the end of <body> while it is shown: a menu opened from a row of the
// virtual list must escape the row's transform (which would make position: fixed relative to the
// row) and the list's overflow clipping. It goes into <main> (a landmark, so assistive tech and
// axe find it inside the page's structure), else <body>. An attachment ({@attach portal}) rather
// than an action: the action runtime would be in the bundle for this one use.
export function portal(node: HTMLElement): () => void {
  (document.querySelector('main') ?? document.body).append(node);
  return () => node.remove();
}
