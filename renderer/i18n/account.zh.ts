/** Chinese text of accounts, sign-in and the lock (renderer/features/account). See ./catalog.ts. */
export const accountZh = {
  'account.role.admin': '管理员',
  'account.role.editor': '编辑者',
  'account.role.viewer': '查看者（只读）',

  'account.error.wrong-passphrase': '口令不正确。',
  'account.error.unknown-account': '这个账户已不在本机（可能刚被管理员删除）。请选择其他账户。',
  'account.error.not-admin': '只有本机管理员可以这样做。',
  'account.error.not-empty': '本机已有账户，请直接登录。',
  'account.error.passphrase-too-short': '口令至少 {min} 位。',
  'account.error.name-required': '请填写姓名。',
  'account.error.name-taken': '本机已有同名账户，请换一个名字（例如加上科室）。',
  'account.error.last-admin': '这是本机唯一的管理员，不能删除或降级。请先把另一个账户设为管理员。',

  'account.noRecovery.title': '口令无法找回',
  'account.noRecovery': '忘记口令？请本机管理员在“设置 → 账户”中为您重设口令。本软件没有后门，没有其他找回方式。',

  'account.passphrase.new': '新口令',
  'account.passphrase.initial': '初始口令',
  'account.passphrase.again': '再次输入口令',
  'account.passphrase.hint': '至少 {min} 位。建议用一句好记的话，不要用生日或电话号码。',
  'account.passphrase.mismatch': '两次输入的口令不一致。',

  'account.field.name': '姓名',
  'account.field.nameHint': '登录时显示，并记入每一条登记、签名和修改记录。',
  'account.field.role': '角色',
  'account.field.roleHint': '管理员管理本机账户和自动锁定；编辑者登记和修改数据；查看者只能查看。',
  'account.field.source': '来源',
  'account.field.actions': '操作',
  'account.source.local': '本机创建',
  'account.source.token': '来自同步授权码',

  'account.first.title': '创建本机第一个账户',
  'account.first.body':
    '这台电脑上的居民信息只有登录后才能打开。第一个账户是本机的管理员：以后由其添加同事的账户，并为忘记口令的同事重设口令。',
  'account.first.noRecovery':
    '口令只保存在您的记忆里：本软件没有后门，也没有恢复码。忘记口令时只能由本机另一位管理员重设；如果唯一的管理员忘记口令，本机数据将无法再打开。建议进入后再添加一位管理员。',
  'account.first.personLater': '进入后可在“设置 → 我的身份”中关联名册中的本人。',
  'account.first.submit': '创建账户并进入',
  'account.first.making': '正在生成密钥…',

  'account.signIn.title': '登录',
  'account.signIn.account': '账户',
  'account.signIn.passphrase': '口令',
  'account.signIn.passphraseFor': '{name} 的口令',
  'account.signIn.submit': '登录',
  'account.signIn.checking': '正在验证口令…',
  'account.signIn.wrong': '口令不正确，请重新输入。请注意大小写和输入法（中文输入法下输入的字母可能不同）。',
  'account.signIn.unknownAccount': '这个账户已不在本机。请选择其他账户。',
  'account.signIn.lockedIdle': '已因 {minutes} 分钟无操作自动锁定。请重新输入口令，回到刚才的页面。',
  'account.signIn.lockedSystem': '电脑锁屏或休眠时已自动锁定。请重新输入口令。',
  'account.signIn.lockedManual': '已锁定。请重新输入口令。',
  'account.signIn.switch': '请选择要登录的账户。',

  'account.opening.title': '{name}，正在打开',
  'account.opening.body': '正在打开本机数据…',
  'account.migrating.title': '正在加密本机已有的数据',
  'account.migrating.body': '本机保存的数据将用账户密钥加密保存，只需进行这一次。请不要关闭窗口。',
  'account.migrating.count': '已完成 {done} / {total}（{percent}%）',
  'account.locking.title': '正在锁定',
  'account.locking.body': '正在保存并关闭本机数据…',
  'account.failed.back': '返回登录',

  'account.menu.label': '当前账户：{name}',
  'account.menu.signedInAs': '已登录：{name}',
  'account.menu.lock': '锁定',
  'account.menu.switch': '切换用户',
  'account.menu.settings': '账户设置',

  'account.settings.title': '账户',
  'account.settings.current': '当前登录：{name}（{role}）',
  'account.settings.you': '当前登录',
  'account.settings.notYourself': '不能修改自己的角色或删除自己',
  'account.settings.noRecoveryAdmin':
    '本软件没有后门，也没有恢复码。同事忘记口令时，只能由您（或本机另一位管理员）在这里重设。请保证本机至少有两位管理员。',
  'account.settings.noRecoveryUser':
    '本软件没有后门，也没有恢复码。忘记口令时，请本机管理员为您重设。账户由本机管理员管理。',
  'account.cancel': '取消',
  'account.close': '关闭',

  'account.add.title': '添加账户',
  'account.add.submit': '添加',
  'account.add.tellInPerson': '请当面把初始口令告诉本人，并请其登录后在“设置 → 账户”中修改。',
  'account.add.fromToken': '为 {name} 创建本机账户，角色：{role}（来自同步授权码，以后可在“设置 → 账户”中更改）。',
  'account.add.done': '已添加账户 {name}。',

  'account.reset.title': '重设 {name} 的口令',
  'account.reset.body': '{name} 的原口令将立即失效。请当面告知新口令，并请其登录后修改。',
  'account.reset.submit': '重设口令',
  'account.reset.for': '重设 {name} 的口令',
  'account.reset.done': '已重设 {name} 的口令。',

  'account.role.title': '更改 {name} 的角色',
  'account.role.submit': '更改角色',
  'account.role.for': '更改 {name} 的角色',
  'account.role.done': '{name} 现在是{role}。',

  'account.remove.title': '删除账户 {name}？',
  'account.remove.body': '{name} 将不能再在本机登录。已记录的登记和修改留痕不受影响，仍然写着其名字。',
  'account.remove.submit': '删除',
  'account.remove.for': '删除账户 {name}',
  'account.remove.done': '已删除账户 {name}。',

  'account.own.title': '修改我的口令',
  'account.own.current': '当前口令',
  'account.own.submit': '修改口令',
  'account.own.done': '口令已修改，下次登录请使用新口令。',

  'account.identity.name': '记录中的名字：{name}',
  'account.identity.hint': '即当前登录的账户。每一条登记、签名和修改记录都写这个名字；换人请用右上角的“切换用户”。',

  'account.idle.title': '自动锁定',
  'account.idle.label': '无操作多久后自动锁定',
  'account.idle.hint': '本机设置。锁定时会先保存，再关闭数据；输入口令后回到原来的页面。',
  'account.idle.adminOnly': '由本机管理员设置。',
  'account.idle.minutes': '{n} 分钟',
  'account.idle.systemDesktop': '电脑锁屏（Win+L）或休眠时也会立即锁定。',
  'account.idle.systemBrowser': '浏览器版无法得知电脑锁屏，只按无操作时间锁定。',

  'account.token.title': '为同步授权码的使用人创建账户？',
  'account.token.body':
    '本机已用 {name} 的授权码（{role}）加入同步服务器。为 {name} 创建本机账户后，其本人用自己的口令登录，修改记录写其名字。',
  'account.token.create': '为 {name} 创建账户',
  'account.token.no': '不用了',
  'account.token.created': '已为 {name} 创建账户。请当面告知初始口令；其本人可用右上角的“切换用户”登录。',
  // "Remember on this computer" (Electron safeStorage; docs/security.md).
  'account.error.not-remembered': '本机没有记住这个账户，请输入口令。',
  'account.error.remembered-unreadable':
    '本机记住的登录在这里已无法使用（例如数据文件夹被复制到了别的电脑或别的 Windows 账户），已将其忘记。请输入口令。',
  'account.error.os-keychain-unavailable': '系统的加密存储暂时不可用，请输入口令。',
  'account.remember.checkbox': '在这台电脑上记住我（以后启动本软件时无需口令）',
  'account.remember.hint':
    '只在仅您本人使用的 Windows 账户上勾选：能使用这个 Windows 账户的任何人都能以您的身份打开本软件。锁定和切换用户后仍需口令。',
  'account.remember.noKeychain': '本机系统不提供加密存储，无法记住登录。',
  'account.remember.basicText': '本机未配置系统密钥环（Linux），只能用固定密钥加密，因此不提供“记住我”。',
  'account.remember.signIn': '以 {name} 登录（本机已记住，无需口令）',
  'account.remember.forget': '不再记住 {name}',
  'account.remember.forgotten': '已不再记住 {name}，以后登录需要输入口令。',
  'account.remember.failed': '未能在本机记住登录：{message}。请取消勾选“记住我”后再登录。',
  'account.menu.lockForget': '锁定并不再记住本机',
} as const;
