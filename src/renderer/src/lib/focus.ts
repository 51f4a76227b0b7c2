// Keeping keyboard focus somewhere useful when the element that had it is removed from the page.
// Browsers then leave focus on <body>, so a keyboard user starts over from the top of the window.

/**
 * Watches `root`; when the element that last had focus leaves the document and nothing else has
 * taken focus, focuses `fallback()`. Returns a function that stops watching.
 */
export function rescueFocus(root: HTMLElement, fallback: () => HTMLElement | null): () => void {
  const doc = root.ownerDocument;
  let last: Element | null = doc.activeElement;
  const onFocusIn = (e: FocusEvent) => {
    last = e.target as Element;
  };
  const observer = new MutationObserver(() => {
    if (!last || last.isConnected) return;
    const active = doc.activeElement;
    if (active && active !== doc.body) return;
    last = null;
    fallback()?.focus();
  });
  doc.addEventListener('focusin', onFocusIn);
  observer.observe(root, { childList: true, subtree: true });
  return () => {
    observer.disconnect();
    doc.removeEventListener('focusin', onFocusIn);
  };
}
