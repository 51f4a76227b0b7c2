// The web preview's stand-in for the preload: the same PiecesBridge, over loopback HTTP to the
// real main-process handlers. Loaded as a classic script before the app, so `window.pieces`
// exists when the app starts. The per-run key comes from the page URL.
(() => {
  const key = new URLSearchParams(location.search).get('key') ?? '';
  const channels = JSON.parse(document.currentScript.dataset.channels);
  const unreachable = {
    ok: false,
    error: { kind: 'internal', message: 'The web preview server is not answering.' },
  };
  const invoke = async (channel, args) => {
    try {
      const res = await fetch(`/__preview/invoke/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-preview-key': key },
        body: JSON.stringify(args === undefined ? null : args),
      });
      return await res.json();
    } catch {
      return unreachable;
    }
  };
  const listeners = { state: new Set(), command: new Set() };
  const events = new EventSource(`/__preview/events?key=${encodeURIComponent(key)}`);
  for (const name of Object.keys(listeners)) {
    events.addEventListener(name, (e) => {
      const payload = JSON.parse(e.data);
      for (const cb of listeners[name]) cb(payload);
    });
  }
  const on = (name) => (cb) => {
    listeners[name].add(cb);
    return () => listeners[name].delete(cb);
  };
  const bridge = { onState: on('state'), onCommand: on('command') };
  for (const channel of channels) bridge[channel] = (args) => invoke(channel, args);
  window.pieces = Object.freeze(bridge);
})();
