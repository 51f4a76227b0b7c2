// Classes and inline styles that depend on state, set from attachments through classList and the
// CSSOM. class: and style: directives, and class or style attributes with expressions, bring
// Svelte's class- and style-string runtime into the window's bundle (issue 15, figure 5); these
// do the same for the few uses the window has. An attachment re-runs when what it reads changes.
// (The CSP allows styles set through the CSSOM; it refuses style attributes.) Components keep
// their elements the same way, `{@attach (el) => { dialog = el; }}`, rather than with bind:this,
// whose runtime costs more than the few uses (none of which reads the element after it is gone).

/** `{@attach classes({ 'row-active': active })}`: each class on or off. */
export function classes(names: Record<string, boolean>): (el: Element) => void {
  return (el) => {
    for (const name in names) el.classList.toggle(name, names[name]);
  };
}

/** The element's whole class list, from a text that changes with state. */
export function className(name: string): (el: Element) => void {
  return (el) => {
    el.className = name;
  };
}

/** `{@attach styles({ height: '3rem', '--hue': '120' })}`: inline style properties. */
export function styles(properties: Record<string, string>): (el: HTMLElement) => void {
  return (el) => {
    for (const name in properties) el.style.setProperty(name, properties[name]!);
  };
}
