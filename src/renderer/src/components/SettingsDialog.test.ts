import { describe, expect, it } from 'vitest';
import { FakeBridge } from '../../../../test/support/renderer/fake-bridge';
import { snapshot } from '../../../../test/support/renderer/fixtures';
import {
  chooseMenuItem,
  getByRole,
  openDisclosure,
  press,
  queryAllByRole,
  queryByRole,
  renderApp,
  settle,
  typeInto,
} from '../../../../test/support/renderer/dom';
import { draftFrom, settingsPatch } from '../../../shared/settings-form';

async function openSettings(fake = new FakeBridge(snapshot())) {
  const view = await renderApp(fake);
  chooseMenuItem(view.target, 'More', 'Settings…');
  const dialog = getByRole(view.target, 'dialog', 'Settings');
  return { fake, target: view.target, dialog };
}

async function openAdvanced(fake = new FakeBridge(snapshot())) {
  const opened = await openSettings(fake);
  openDisclosure(opened.dialog, 'Advanced');
  return opened;
}

const save = async (dialog: HTMLElement) => {
  dialog.querySelector('form')!.requestSubmit(getByRole(dialog, 'button', 'Save'));
  await settle();
};

describe('Settings dialog', () => {
  it('puts the everyday settings first and developer options behind Advanced', async () => {
    const { dialog } = await openSettings();
    expect(getByRole(dialog, 'heading', 'General')).toBeTruthy();
    getByRole(dialog, 'combobox', 'Theme');
    for (const name of [/Keep running in the tray/, /Start when I log in/, /Show notifications/])
      getByRole(dialog, 'checkbox', name);
    expect(queryByRole(dialog, 'textbox', 'Pieces OS address')).toBeNull();
    expect(queryByRole(dialog, 'textbox', 'Request timeout (seconds)')).toBeNull();
    openDisclosure(dialog, 'Advanced');
    getByRole(dialog, 'textbox', 'Pieces OS address');
    getByRole(dialog, 'textbox', 'Sign-in time limit (seconds)');
    getByRole(dialog, 'textbox', 'Issuer URL');
  });

  it('records the quick switch shortcut as pressed, refuses one that steals typing, and saves it normalized', async () => {
    const { fake, dialog } = await openSettings();
    const field = getByRole(dialog, 'textbox', 'Quick switch shortcut') as HTMLInputElement;
    expect(field.value).toBe('CommandOrControl+Alt+P');
    expect(dialog.textContent).toMatch(/now (Ctrl\+Alt\+P|⌘⌥P)/);
    // Ctrl+V still pastes; Ctrl+Shift+K is a recording.
    expect(press(field, 'v', { code: 'KeyV', ctrlKey: true }).defaultPrevented).toBe(false);
    const isMac = /Mac/.test(navigator.userAgent);
    press(field, 'K', { code: 'KeyK', shiftKey: true, [isMac ? 'metaKey' : 'ctrlKey']: true });
    expect(field.value).toBe('CommandOrControl+Shift+K');

    typeInto(field, 'Shift+P');
    await save(dialog);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field);
    expect(fake.callsTo('updateSettings')).toEqual([]);

    typeInto(field, 'alt+super+space');
    await save(dialog);
    expect(fake.callsTo('updateSettings')).toEqual([{ quickSwitchShortcut: 'Alt+Super+Space' }]);
  });

  it('turns the quick switch shortcut off when emptied', async () => {
    const { fake, dialog } = await openSettings();
    typeInto(getByRole(dialog, 'textbox', 'Quick switch shortcut') as HTMLInputElement, ' ');
    await save(dialog);
    expect(fake.callsTo('updateSettings')).toEqual([{ quickSwitchShortcut: '' }]);
  });

  it('About: the app version, where Pieces OS is, and live updates or polling', async () => {
    const fake = new FakeBridge(
      snapshot({
        connection: {
          status: 'online',
          url: 'http://127.0.0.1:39300',
          version: '12.3.0',
          updates: 'polling',
        },
      }),
    );
    const { dialog } = await openSettings(fake);
    const about = getByRole(dialog, 'region', 'About');
    expect(about.textContent).toMatch(/Pieces Account Switcher \d+\.\d+\.\d+/);
    expect(about.textContent).toContain('Connected to Pieces OS 12.3.0 at http://127.0.0.1:39300');
    expect(about.textContent).toContain('Polling');
  });

  it('shows an address set for this run as overridden, not as an editable field it ignores', async () => {
    const fake = new FakeBridge(snapshot(), { piecesOsUrlOverride: 'http://127.0.0.1:4567' });
    const { dialog } = await openAdvanced(fake);
    const address = getByRole(dialog, 'textbox', 'Pieces OS address') as HTMLInputElement;
    expect(address.value).toBe('http://127.0.0.1:4567');
    expect(address.readOnly).toBe(true);
    expect(dialog.textContent).toContain('Set for this run');
  });

  it('saves the sign-in time limit in milliseconds, and explains a bad one', async () => {
    const { fake, dialog } = await openAdvanced();
    const limit = getByRole(dialog, 'textbox', 'Sign-in time limit (seconds)') as HTMLInputElement;
    expect(limit.value).toBe('180');
    typeInto(limit, '5');
    await save(dialog);
    expect(dialog.textContent).toContain('from 30 to 900');
    expect(fake.callsTo('updateSettings')).toEqual([]);
    typeInto(limit, '300');
    await save(dialog);
    expect(fake.callsTo('updateSettings')).toEqual([{ signInTimeoutMs: 300_000 }]);
  });

  it('styles every text input alike (each has a type the stylesheet covers)', async () => {
    const { dialog } = await openAdvanced();
    const types = queryAllByRole(dialog, 'textbox').map((el) => el.getAttribute('type'));
    for (const t of types) expect(['text', 'url']).toContain(t);
  });

  it('sends only what changed and closes', async () => {
    const { fake, target, dialog } = await openAdvanced();
    typeInto(
      getByRole(dialog, 'textbox', 'Pieces OS address') as HTMLInputElement,
      'http://127.0.0.1:39311',
    );
    const plaintext = getByRole(dialog, 'checkbox', /Keep sign-ins on disk/) as HTMLInputElement;
    plaintext.click();
    await save(dialog);
    expect(fake.callsTo('updateSettings')).toEqual([
      { piecesOsUrl: 'http://127.0.0.1:39311', allowPlaintextTokens: true },
    ]);
    expect(queryByRole(target, 'dialog', 'Settings')).toBeNull();
  });

  it('shows field errors and sends nothing for a bad address or timeout', async () => {
    const { fake, dialog } = await openAdvanced();
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
    const { fake, dialog } = await openAdvanced();
    const address = getByRole(dialog, 'textbox', 'Pieces OS address') as HTMLInputElement;
    typeInto(address, 'http://192.168.1.20:39300');
    await save(dialog);
    expect(dialog.textContent).toContain('Pieces OS runs on this computer');
    expect(fake.callsTo('updateSettings')).toEqual([]);
    typeInto(address, 'http://localhost:39300');
    await save(dialog);
    expect(fake.callsTo('updateSettings')).toEqual([{ piecesOsUrl: 'http://localhost:39300' }]);
  });

  it('has main check the form, and saves nothing when main does not answer the check', async () => {
    const fake = new FakeBridge(snapshot());
    const { target, dialog } = await openAdvanced(fake);
    typeInto(getByRole(dialog, 'textbox', 'Request timeout (seconds)') as HTMLInputElement, '10');
    fake.handlers.checkSettings = () => Promise.reject(new Error('gone'));
    await save(dialog);
    expect(fake.callsTo('checkSettings')).toEqual([
      expect.objectContaining({ requestTimeoutSeconds: '10', theme: 'system' }),
    ]);
    expect(fake.callsTo('updateSettings')).toEqual([]);
    expect(getByRole(dialog, 'alert').textContent).toContain('Could not save the settings');
    expect(queryByRole(target, 'dialog', 'Settings')).not.toBeNull();
  });

  it('keeps the dialog open with an alert when main refuses the change', async () => {
    const fake = new FakeBridge(snapshot());
    fake.handlers.updateSettings = () => ({
      ok: false,
      error: { kind: 'invalid-input', message: 'piecesOsUrl must be an http:// or https:// URL' },
    });
    const { target, dialog } = await openAdvanced(fake);
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
    quickSwitchShortcut: 'CommandOrControl+Alt+P',
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
