// Moves an element to the end of <body> while it is shown: a menu opened from a row of the
// virtual list must escape the row's transform (which would make position: fixed relative to the
// row) and the list's overflow clipping.
export function portal(node: HTMLElement): { destroy: () => void } {
  document.body.append(node);
  return { destroy: () => node.remove() };
}
