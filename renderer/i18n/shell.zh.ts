/**
 * Chinese (zh-CN) UI text: the source of every message key. `en.ts` must have the same keys (checked by the type
 * `Messages` and by tests/unit/renderer/i18n.test.ts). Placeholders are written `{name}`.
 * Words follow the glossary in ../shared/domain/DOMAIN.md.
 */
export const zhCN = {
  'app.title': '社区治理工作台',
  'app.skipToContent': '跳到主要内容',

  'nav.label': '主导航',
  'nav.dashboard': '工作台',
  'nav.registry': '居民与楼栋',
  'nav.mediation': '五长调解',
  'nav.meetings': '会议记录',
  'nav.tasks': '任务督办',
  'nav.sync': '同步',
  'nav.settings': '设置',
  'nav.shortcutHint': 'Alt+{n}',
  'nav.toggle': '显示或隐藏导航',

  'header.community': '当前社区',
  'header.noCommunity': '尚未选择社区',
  'header.language': '界面语言',
  'header.theme.toLight': '切换到浅色主题',
  'header.theme.toDark': '切换到深色主题',

  'sync.badge.local': '本机模式',
  'sync.badge.localHint': '未连接同步服务器，数据只保存在本机',

  'error.title': '此页面出错了',
  'error.body': '这一页遇到了问题，其他页面不受影响，已录入的数据不会丢失。可以重试，或从左侧导航进入其他页面。',
  'error.details': '错误信息',
  'error.retry': '重试',

  'dashboard.title': '工作台',
  'dashboard.intro': '社区治理的日常工作从这里开始：登记居民、化解纠纷、记录会议、督办任务。',
  'dashboard.areas': '工作区',

  'registry.title': '居民与楼栋',
  'registry.summary': '小区、楼栋、住户、居民、网格、党组织和五长责任体系。',
  'mediation.title': '五长调解',
  'mediation.summary': '从楼栋长的第一次上门到依法签署、归档的调解协议。',
  'meetings.title': '会议记录',
  'meetings.summary': '会前有议题，会中有记录，会后有结果，落实有回音。',
  'tasks.title': '任务督办',
  'tasks.summary': '上级下达的任务：工作量、完成率、用时和居民满意度。',
  'sync.title': '同步',
  'sync.summary': '连接区里的同步服务器，离线时照常工作，联网后自动合并。',
  'area.comingSoon': '此功能正在建设中。',

  'settings.title': '设置',
  'settings.language': '界面语言',
  'settings.language.zh': '中文',
  'settings.language.en': 'English',
  'settings.theme': '主题',
  'settings.theme.light': '浅色',
  'settings.theme.dark': '深色',
  'settings.theme.auto': '跟随系统',
  'settings.about': '关于本机',
  'settings.version': '版本',
  'settings.dataFolder': '数据位置',
  'settings.platform': '运行方式',
  'settings.platform.desktop': '桌面应用',
  'settings.platform.browser': '浏览器',
  'settings.diagnostics': '诊断',
  'settings.diagnostics.hint': '检查出错时的提示是否正常：本页会显示错误提示，其他页面不受影响。',
  'settings.diagnostics.crash': '模拟页面错误',
  'settings.diagnostics.crashMessage': '这是在“设置 → 诊断”中模拟的页面错误',
  'settings.loading': '正在读取…',
} as const;

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
