// Test fakes for the Electron pieces the tray uses. Each world records what was asked of it.
import type { MenuItemConstructorOptions, MessageBoxOptions, NativeImage } from 'electron';
import type { TrayElectron } from './tray';

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

/** The path a fake image was created from. */
export const imagePath = (image: NativeImage): string =>
  (image as unknown as { path: string }).path;

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
    nativeImage: { createFromPath: (path) => ({ path }) as unknown as NativeImage },
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
