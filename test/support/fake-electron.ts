// Test fakes for the Electron pieces the tray uses. Each world records what was asked of it.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { MenuItemConstructorOptions, MessageBoxOptions, NativeImage } from 'electron';
import { TRAY_ICON_STATES } from '../../src/main/tray/icons';
import type { TrayIconState } from '../../src/main/tray/menu-template';
import type { TrayElectron } from '../../src/main/tray/tray';

/** The repository's resources/ folder, where `npm run icons` puts the tray and window icons. */
export const REPO_RESOURCES_DIR = join(__dirname, '..', '..', 'resources');

export interface FakeMenu {
  template: MenuItemConstructorOptions[];
}

export interface FakeTray {
  initialImage: NativeImage;
  menus: FakeMenu[];
  tooltips: string[];
  images: NativeImage[];
  clickListeners: (() => void)[];
  destroyed: boolean;
  /** The template of the context menu set last. */
  readonly menu: MenuItemConstructorOptions[];
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A fake NativeImage loaded from a file, as nativeImage.createFromPath does: empty when the file
 * is missing or not a PNG; the representations it found (the file, and its @2x sibling).
 */
export class FakeImage {
  /** Set only by setTemplateImage (Electron also reads a "Template" file name, on macOS). */
  template = false;
  readonly scaleFactors: number[] = [];
  constructor(readonly path: string) {
    const at2x = join(dirname(path), basename(path, '.png') + '@2x.png');
    for (const [file, scale] of [
      [path, 1],
      [at2x, 2],
    ] as const) {
      if (existsSync(file) && readFileSync(file).subarray(0, 8).equals(PNG_SIGNATURE)) {
        this.scaleFactors.push(scale);
      }
    }
  }
  isEmpty() {
    return !this.scaleFactors.includes(1);
  }
  setTemplateImage(option: boolean) {
    this.template = option;
  }
  isTemplateImage() {
    return this.template;
  }
}

/** The fake behind a NativeImage the fake nativeImage created. */
export function fakeImage(image: NativeImage): FakeImage {
  if (!(image instanceof FakeImage)) throw new Error('not a fake image');
  return image;
}

/**
 * Which tray icon a fake image holds: the state and variant of the file it was loaded from, with
 * its 1x and 2x PNGs present and the template flag set exactly for the template variant. Throws
 * for anything else.
 */
export function trayIconOf(image: NativeImage): {
  state: TrayIconState;
  variant: 'color' | 'template';
} {
  const fake = fakeImage(image);
  const name = basename(fake.path, '.png');
  const variant = name.endsWith('Template') ? 'template' : 'color';
  const state = TRAY_ICON_STATES.find((s) => name === s || name === `${s}Template`);
  if (
    state === undefined ||
    basename(dirname(fake.path)) !== 'tray' ||
    fake.scaleFactors.join() !== '1,2' ||
    fake.template !== (variant === 'template')
  ) {
    throw new Error(`the image ${fake.path} is not a tray icon`);
  }
  return { state, variant };
}

/** The state whose tray icon a fake image holds (see trayIconOf). */
export const trayIconStateOf = (image: NativeImage): TrayIconState => trayIconOf(image).state;

export function fakeElectron() {
  const trays: FakeTray[] = [];
  const notifications: { title: string; body: string }[] = [];
  const dialog = {
    asked: [] as MessageBoxOptions[],
    /** The button index the next message box answers with (1 = Cancel in the tray's dialog). */
    response: 1,
    async showMessageBox(options: MessageBoxOptions) {
      dialog.asked.push(options);
      return { response: dialog.response };
    },
  };

  class Tray implements FakeTray {
    menus: FakeMenu[] = [];
    tooltips: string[] = [];
    images: NativeImage[] = [];
    clickListeners: (() => void)[] = [];
    destroyed = false;
    constructor(readonly initialImage: NativeImage) {
      trays.push(this);
    }
    setContextMenu(menu: FakeMenu) {
      this.menus.push(menu);
    }
    setToolTip(text: string) {
      this.tooltips.push(text);
    }
    setImage(image: NativeImage) {
      this.images.push(image);
    }
    on(event: string, listener: () => void) {
      if (event === 'click') this.clickListeners.push(listener);
      return this;
    }
    destroy() {
      this.destroyed = true;
    }
    get menu(): MenuItemConstructorOptions[] {
      const last = this.menus.at(-1);
      if (!last) throw new Error('no context menu set');
      return last.template;
    }
  }

  /** Every notification shown, with a way to click it as the person would. */
  const shownNotifications: { options: { title: string; body: string }; click(): void }[] = [];

  class Notification {
    private clickListeners: (() => void)[] = [];
    constructor(readonly options: { title: string; body: string }) {}
    on(event: string, listener: () => void) {
      if (event === 'click') this.clickListeners.push(listener);
      return this;
    }
    show() {
      notifications.push(this.options);
      const listeners = this.clickListeners;
      shownNotifications.push({
        options: this.options,
        click: () => listeners.forEach((l) => l()),
      });
    }
    static isSupported() {
      return true;
    }
  }

  const electron: TrayElectron = {
    Tray,
    Menu: { buildFromTemplate: (template): FakeMenu => ({ template }) },
    Notification,
    nativeImage: { createFromPath: (path) => new FakeImage(path) as unknown as NativeImage },
    dialog,
  };

  return {
    electron,
    trays,
    notifications,
    shownNotifications,
    dialog,
    /** The tray created last. */
    get tray(): FakeTray {
      const t = trays.at(-1);
      if (!t) throw new Error('no tray created');
      return t;
    },
  };
}

export type FakeElectron = ReturnType<typeof fakeElectron>;
