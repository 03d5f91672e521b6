/**
 * The Chinese application menu, as a pure template builder (index.ts hands it to `Menu.buildFromTemplate`).
 *
 * Edit and view entries use Electron roles so that they follow the focused text field and the platform's shortcuts.
 * The 视图 entries that switch screens do not navigate the window themselves: they send `onNavigate` to the renderer,
 * whose router owns the paths (the window never leaves `app://workstation/index.html`).
 */
import type { MenuItemConstructorOptions } from 'electron';

export const APP_DISPLAY_NAME = '社区治理工作台';

/** Screens reachable from the 视图 menu, in menu order; each path is a route of the renderer. */
export const navigationItems = [
  { label: '工作台', path: '/' },
  { label: '居民与楼栋', path: '/registry' },
  { label: '五长调解', path: '/mediation' },
  { label: '会议记录', path: '/meetings' },
  { label: '任务督办', path: '/tasks' },
  { label: '社情民意', path: '/events' },
  { label: '便民服务', path: '/services' },
  { label: '党建与资源', path: '/party' },
  { label: '数据看板', path: '/overview' },
  { label: '同步', path: '/sync' },
  { label: '设置', path: '/settings' },
] as const;

export interface MenuOptions {
  /** `app.isPackaged`: developer tools are offered only in development builds. */
  isPackaged: boolean;
  /** Sends `onNavigate` with `path` to the window. */
  navigate: (path: string) => void;
  /** Shows the 关于 dialog. */
  showAbout: () => void;
}

export function buildMenuTemplate({ isPackaged, navigate, showAbout }: MenuOptions): MenuItemConstructorOptions[] {
  const screens: MenuItemConstructorOptions[] = navigationItems.map(({ label, path }, index) => ({
    label,
    // CmdOrCtrl+1 … 9, then 0 for the tenth screen; 设置 (the eleventh) takes CmdOrCtrl+, as in most programs.
    ...(index < 10
      ? { accelerator: `CmdOrCtrl+${(index + 1) % 10}` }
      : path === '/settings'
        ? { accelerator: 'CmdOrCtrl+,' }
        : {}),
    click: () => {
      navigate(path);
    },
  }));
  const developerTools: MenuItemConstructorOptions[] = isPackaged
    ? []
    : [{ type: 'separator' }, { label: '开发者工具', role: 'toggleDevTools' }];

  return [
    { label: '文件', submenu: [{ label: '退出', role: 'quit' }] },
    {
      label: '编辑',
      submenu: [
        { label: '撤销', role: 'undo' },
        { label: '重做', role: 'redo' },
        { type: 'separator' },
        { label: '剪切', role: 'cut' },
        { label: '复制', role: 'copy' },
        { label: '粘贴', role: 'paste' },
        { label: '全选', role: 'selectAll' },
      ],
    },
    {
      label: '视图',
      submenu: [
        ...screens,
        { type: 'separator' },
        { label: '重新加载', role: 'reload' },
        { label: '实际大小', role: 'resetZoom' },
        { label: '放大', role: 'zoomIn' },
        { label: '缩小', role: 'zoomOut' },
        { type: 'separator' },
        { label: '全屏', role: 'togglefullscreen' },
        ...developerTools,
      ],
    },
    {
      label: '窗口',
      submenu: [
        { label: '最小化', role: 'minimize' },
        { label: '关闭', role: 'close' },
      ],
    },
    { label: '帮助', submenu: [{ label: `关于 ${APP_DISPLAY_NAME}`, click: showAbout }] },
  ];
}
