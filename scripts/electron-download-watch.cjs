// Loaded with `node --require` into the electron package's own installer (install.js), which
// neither reports progress before 30 s nor bounds how long it waits for an answer. This wraps the
// global fetch the installer downloads with and tells the parent (scripts/ensure-electron.ts),
// over the IPC channel, when a request starts, answers, moves and fails, so the parent can show a
// progress line and give up on a mirror that does not answer. It changes nothing it downloads.
'use strict';

const send = (event) => {
  if (typeof process.send === 'function' && process.connected) process.send(event);
};

const realFetch = globalThis.fetch;

globalThis.fetch = async function watchedFetch(input, init) {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  send({ type: 'request', url });
  let response;
  try {
    response = await realFetch(input, init);
  } catch (err) {
    // fetch hides the reason (ENOTFOUND, ECONNREFUSED...) in `cause`; install.js prints only the stack.
    const cause = err && err.cause;
    send({
      type: 'failed',
      url,
      reason: (cause && (cause.code || cause.message)) || (err && err.message) || String(err),
    });
    throw err;
  }
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  send({ type: 'response', url, status: response.status, total });
  if (!response.ok || !response.body) return response;

  let transferred = 0;
  let lastSent = 0;
  const counted = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        transferred += chunk.byteLength;
        // Every 256 kB is often enough for a progress line and keeps the IPC channel quiet.
        if (transferred - lastSent >= 256 * 1024) {
          lastSent = transferred;
          send({ type: 'progress', url, transferred, total });
        }
        controller.enqueue(chunk);
      },
      flush() {
        send({ type: 'done', url, transferred, total });
      },
    }),
  );
  const watched = new Response(counted, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // The installer names the URL in its errors.
  Object.defineProperty(watched, 'url', { value: response.url });
  return watched;
};
