// What the loopback listener answers the browser at the end of a sign-in, and the callbacks it
// does not take: the page (escaped words, no script, not cached, no referrer), a second callback,
// a listener closed without an outcome. Real HTTP on a loopback port; fetch() is the browser.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callbackPage, startLoopbackRedirect, type LoopbackRedirect } from './loopback-redirect';

let redirect: LoopbackRedirect | null = null;
afterEach(async () => {
  await redirect?.close();
  redirect = null;
});

describe('the page the browser shows at the end', () => {
  it('says the sign-in finished', () => {
    const page = callbackPage({ ok: true });
    expect(page).toContain('<h1>You are signed in</h1>');
    expect(page).toContain('<p>Pieces Account Switcher has your sign-in.</p>');
    expect(page).not.toContain('did not finish');
  });

  it('says why it did not finish, with every character markup could use escaped', () => {
    const page = callbackPage({ ok: false, message: `<script>alert("x" & 'y')</script>` });
    expect(page).toContain('<h1>The sign-in did not finish</h1>');
    expect(page).toContain(
      '<p>&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;</p>',
    );
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('You are signed in');
  });
});

describe('loopback redirect listener: answers', () => {
  it('answers the callback with the outcome page: no script allowed, not cached, no referrer, connection closed', async () => {
    redirect = await startLoopbackRedirect({ expectedState: 's1' });
    const browser = fetch(`${redirect.redirectUri}?code=c&state=s1`);
    await redirect.callback;
    await redirect.close({ ok: false, message: 'The provider said no & <b>bye</b>' });
    const res = await browser;
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'",
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.text()).toContain('The provider said no &amp; &lt;b&gt;bye&lt;/b&gt;');
  });

  it('a listener closed without an outcome tells the browser the sign-in was stopped in the app', async () => {
    redirect = await startLoopbackRedirect();
    const browser = fetch(`${redirect.redirectUri}?code=c`);
    await redirect.callback;
    await redirect.close();
    const res = await browser;
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('The sign-in did not finish');
    expect(body).toContain('The sign-in was stopped in the app.');
  });

  it('takes only the first callback: a reload or second redirect gets 409 and changes nothing', async () => {
    redirect = await startLoopbackRedirect({ expectedState: 's1' });
    const first = fetch(`${redirect.redirectUri}?code=first&state=s1`);
    const url = await redirect.callback;
    const second = await fetch(`${redirect.redirectUri}?code=second&state=s1`);
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await second.text()).toBe(
      'This sign-in has already been answered. You can close this tab.',
    );
    expect(url.searchParams.get('code')).toBe('first');
    await redirect.close({ ok: true });
    const res = await first;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are signed in');
  });

  it('refuses a callback without the expected state in words, as text', async () => {
    redirect = await startLoopbackRedirect({ expectedState: 's1' });
    const res = await fetch(`${redirect.redirectUri}?code=c`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('This is not the answer to the sign-in the app is waiting for.');
    expect(redirect.closed).toBe(false);
  });

  it('answers a request target no URL parser accepts with a plain "Bad request"', async () => {
    redirect = await startLoopbackRedirect();
    const port = redirect.port;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.once('end', () => resolve(text));
      socket.once('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const body = answer.slice(answer.indexOf('\r\n\r\n'));
    expect(body).toContain('Bad request');
  });

  it('answers what it does not serve with a plain 404', async () => {
    redirect = await startLoopbackRedirect();
    const res = await fetch(`http://127.0.0.1:${redirect.port}/callback/more?code=c`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Not found');
  });

  it('closing is once: closed after the first close, and a second close changes nothing', async () => {
    redirect = await startLoopbackRedirect();
    expect(redirect.closed).toBe(false);
    const first = redirect.close({ ok: true });
    expect(redirect.closed).toBe(true);
    const again = redirect.close({ ok: false, message: 'later' });
    expect(again).toBe(first);
    await first;
    await expect(fetch(`${redirect.redirectUri}?code=c`)).rejects.toThrow();
  });
});
