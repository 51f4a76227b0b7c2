// Test fakes for the Electron pieces the tray uses. Each world records what was asked of it.
import type {
  AddRepresentationOptions,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  NativeImage,
} from 'electron';
import { trayIconPng, type TrayIconVariant } from '../../src/main/tray/icon-images';
import { TRAY_ICON_STATES } from '../../src/main/tray/icons';
import type { TrayIconState } from '../../src/main/tray/menu-template';
import type { TrayElectron } from '../../src/main/tray/tray';

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

/** A fake NativeImage: what was added to it and whether it was marked as a template. */
export class FakeImage {
  representations: AddRepresentationOptions[] = [];
  template = false;
  addRepresentation(options: AddRepresentationOptions) {
    this.representations.push(options);
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
 * Which tray icon a fake image holds: the state and variant whose 16 and 32 px PNGs it was built
 * from, with the template flag set exactly for the template variant. Throws for anything else.
 */
export function trayIconOf(image: NativeImage): { state: TrayIconState; variant: TrayIconVariant } {
  const fake = fakeImage(image);
  for (const state of TRAY_ICON_STATES) {
    for (const variant of ['color', 'template'] as const) {
      const matches =
        fake.template === (variant === 'template') &&
        fake.representations.length === 2 &&
        ([1, 2] as const).every((scale, i) => {
          const r = fake.representations[i];
          return r?.scaleFactor === scale && r.buffer?.equals(trayIconPng(state, variant, scale));
        });
      if (matches) return { state, variant };
    }
  }
  throw new Error('the image is not a tray icon');
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

  class Notification {
    constructor(readonly options: { title: string; body: string }) {}
    show() {
      notifications.push(this.options);
    }
    static isSupported() {
      return true;
    }
  }

  const electron: TrayElectron = {
    Tray,
    Menu: { buildFromTemplate: (template): FakeMenu => ({ template }) },
    Notification,
    nativeImage: { createEmpty: () => new FakeImage() as unknown as NativeImage },
    dialog,
  };

  return {
    electron,
    trays,
    notifications,
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
