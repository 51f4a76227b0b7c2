import { describe, expect, it } from 'vitest';
import { FakeBridge } from '../../../../test/support/renderer/fake-bridge';
import { snapshot } from '../../../../test/support/renderer/fixtures';
import {
  click,
  getByRole,
  queryByRole,
  renderApp,
  settle,
  typeInto,
} from '../../../../test/support/renderer/dom';
import { draftFrom, settingsPatch } from '../lib/settings-form';

async function openSettings(fake = new FakeBridge(snapshot())) {
  const view = await renderApp(fake);
  click(getByRole(view.target, 'button', 'Settings'));
  const dialog = getByRole(view.target, 'dialog', 'Settings');
  return { fake, target: view.target, dialog };
}

const save = async (dialog: HTMLElement) => {
  dialog.querySelector('form')!.requestSubmit(getByRole(dialog, 'button', 'Save'));
  await settle();
};

describe('Settings dialog', () => {
  it('sends only what changed and closes', async () => {
    const { fake, target, dialog } = await openSettings();
    typeInto(
      getByRole(dialog, 'textbox', 'Pieces OS address') as HTMLInputElement,
      'http://127.0.0.1:39311',
    );
    const plaintext = dialog.querySelectorAll<HTMLInputElement>('input[type=checkbox]')[3]!;
    plaintext.click();
    await save(dialog);
    expect(fake.callsTo('updateSettings')).toEqual([
      { piecesOsUrl: 'http://127.0.0.1:39311', allowPlaintextTokens: true },
    ]);
    expect(queryByRole(target, 'dialog', 'Settings')).toBeNull();
  });

  it('shows field errors and sends nothing for a bad address or timeout', async () => {
    const { fake, dialog } = await openSettings();
    typeInto(
      getByRole(dialog, 'textbox', 'Pieces OS address') as HTMLInputElement,
      'file:///etc/passwd',
    );
    typeInto(getByRole(dialog, 'textbox', 'Request timeout (seconds)') as HTMLInputElement, '0');
    await save(dialog);
    expect(dialog.textContent).toContain('Enter an address like');
    expect(dialog.textContent).toContain('from 0.5 to 60');
    expect(fake.callsTo('updateSettings')).toEqual([]);
  });

  it('refuses a Pieces OS address on another computer before sending anything', async () => {
    const { fake, dialog } = await openSettings();
    const address = getByRole(dialog, 'textbox', 'Pieces OS address') as HTMLInputElement;
    typeInto(address, 'http://192.168.1.20:39300');
    await save(dialog);
    expect(dialog.textContent).toContain('Pieces OS runs on this computer');
    expect(fake.callsTo('updateSettings')).toEqual([]);
    typeInto(address, 'http://localhost:39300');
    await save(dialog);
    expect(fake.callsTo('updateSettings')).toEqual([{ piecesOsUrl: 'http://localhost:39300' }]);
  });

  it('keeps the dialog open with an alert when main refuses the change', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.updateSettings = () => ({
      ok: false,
      error: { kind: 'invalid-input', message: 'piecesOsUrl must be an http:// or https:// URL' },
    });
    const { target, dialog } = await openSettings(fake);
    typeInto(getByRole(dialog, 'textbox', 'Request timeout (seconds)') as HTMLInputElement, '10');
    await save(dialog);
    expect(getByRole(dialog, 'alert').textContent).toContain('Could not save the settings');
    expect(queryByRole(target, 'dialog', 'Settings')).not.toBeNull();
  });
});

describe('settingsPatch', () => {
  const current = {
    piecesOsUrl: null,
    requestTimeoutMs: 4000,
    closeToTray: true,
    theme: 'system' as const,
    notifications: true,
    launchAtLogin: false,
    allowPlaintextTokens: false,
    signInTimeoutMs: 180_000,
    oauthProvider: null,
  };

  it('maps an emptied address to null and seconds to milliseconds', () => {
    const draft = {
      ...draftFrom({ ...current, piecesOsUrl: 'http://127.0.0.1:1' }),
      piecesOsUrl: '  ',
    };
    expect(
      settingsPatch(
        { ...draft, requestTimeoutSeconds: '2.5' },
        { ...current, piecesOsUrl: 'http://127.0.0.1:1' },
      ),
    ).toEqual({
      ok: true,
      patch: { piecesOsUrl: null, requestTimeoutMs: 2500 },
    });
  });

  it('returns an empty patch when nothing changed', () => {
    expect(settingsPatch(draftFrom(current as never), current as never)).toEqual({
      ok: true,
      patch: {},
    });
  });
});
