import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, navigationItems } from '../../../../electron/main/menu';

function submenuOf(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label === label);
  if (!Array.isArray(menu?.submenu)) throw new Error(`no submenu ${label}`);
  return menu.submenu;
}

const build = (isPackaged: boolean) => {
  const navigate = vi.fn<(path: string) => void>();
  const showAbout = vi.fn();
  return { template: buildMenuTemplate({ isPackaged, navigate, showAbout }), navigate, showAbout };
};

/** Calls an item's click handler the way Electron would (the arguments are not used by our items). */
function click(item: MenuItemConstructorOptions | undefined): void {
  if (item?.click === undefined) throw new Error('item has no click handler');
  (item.click as () => void)();
}

describe('application menu', () => {
  it('has the Chinese top-level menus in order', () => {
    expect(build(true).template.map((item) => item.label)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
  });

  it('binds the edit and window entries to Electron roles', () => {
    const { template } = build(true);
    const roles = (label: string) =>
      submenuOf(template, label)
        .filter((item) => item.type !== 'separator')
        .map((item) => [item.label, item.role]);
    expect(roles('文件')).toEqual([['退出', 'quit']]);
    expect(roles('编辑')).toEqual([
      ['撤销', 'undo'],
      ['重做', 'redo'],
      ['剪切', 'cut'],
      ['复制', 'copy'],
      ['粘贴', 'paste'],
      ['全选', 'selectAll'],
    ]);
    expect(roles('窗口')).toEqual([
      ['最小化', 'minimize'],
      ['关闭', 'close'],
    ]);
  });

  it('sends each screen path from the 视图 menu', () => {
    const { template, navigate } = build(true);
    const view = submenuOf(template, '视图');
    const expected = [
      ['工作台', '/'],
      ['居民与楼栋', '/registry'],
      ['五长调解', '/mediation'],
      ['会议记录', '/meetings'],
      ['任务督办', '/tasks'],
      ['社情民意', '/events'],
      ['便民服务', '/services'],
      ['党建与资源', '/party'],
      ['数据看板', '/overview'],
      ['同步', '/sync'],
      ['设置', '/settings'],
    ];
    expect(navigationItems.map(({ label, path }) => [label, path])).toEqual(expected);
    // CmdOrCtrl+1 … 9, then 0 for the first ten screens; 设置, the eleventh, takes CmdOrCtrl+, as in most programs.
    expect(view.filter((item) => item.accelerator !== undefined).map((item) => item.accelerator)).toEqual([
      ...expected.slice(0, 10).map((_, index) => `CmdOrCtrl+${(index + 1) % 10}`),
      'CmdOrCtrl+,',
    ]);
    for (const [label, path] of expected) {
      navigate.mockClear();
      click(view.find((item) => item.label === label));
      expect(navigate).toHaveBeenCalledExactlyOnceWith(path);
    }
  });

  it('offers zoom, reload and full screen, and developer tools only when not packaged', () => {
    const roles = (isPackaged: boolean) => submenuOf(build(isPackaged).template, '视图').map((item) => item.role);
    expect(roles(true)).toEqual(
      expect.arrayContaining(['reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']),
    );
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(false)).toContain('toggleDevTools');
    const labels = submenuOf(build(false).template, '视图').map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(['重新加载', '实际大小', '放大', '缩小', '全屏', '开发者工具']));
  });

  it('shows the about dialog from 帮助', () => {
    const { template, showAbout } = build(true);
    const about = submenuOf(template, '帮助').find((item) => item.label === '关于 社区治理工作台');
    click(about);
    expect(showAbout).toHaveBeenCalledOnce();
  });
});
