// Which view of the app's one page to show. The quick switcher is the same page, the same
// contract and the same checks as the app window, asked for with ?view=palette (main's palette
// window, the web preview's /index.html?view=palette).
export type View = 'window' | 'palette';

export function viewOf(search: string): View {
  return new URLSearchParams(search).get('view') === 'palette' ? 'palette' : 'window';
}
