import type { accountZh } from './account.zh';

/** English text of accounts, sign-in and the lock. Same keys as the Chinese (the type refuses a missing or extra key). */
export const accountEn: Record<keyof typeof accountZh, string> = {
  'account.role.admin': 'Administrator',
  'account.role.editor': 'Editor',
  'account.role.viewer': 'Viewer (read-only)',

  'account.error.wrong-passphrase': 'Wrong passphrase.',
  'account.error.unknown-account':
    'This account is no longer on this computer (an administrator may have just removed it). Choose another account.',
  'account.error.not-admin': 'Only an administrator of this computer can do this.',
  'account.error.not-empty': 'This computer has accounts already: sign in.',
  'account.error.passphrase-too-short': 'The passphrase needs at least {min} characters.',
  'account.error.name-required': 'Enter a name.',
  'account.error.name-taken': 'An account of that name exists on this computer; choose another (add the office, say).',
  'account.error.last-admin':
    'This is the only administrator of this computer: it cannot be removed or demoted. Make another account an administrator first.',

  'account.noRecovery.title': 'A passphrase cannot be recovered',
  'account.noRecovery':
    'Forgot your passphrase? An administrator of this computer resets it in Settings → Accounts. There is no backdoor and no other way back in.',

  'account.passphrase.new': 'New passphrase',
  'account.passphrase.initial': 'First passphrase',
  'account.passphrase.again': 'Passphrase again',
  'account.passphrase.hint':
    'At least {min} characters. A sentence you remember is best; not a birthday or a phone number.',
  'account.passphrase.mismatch': 'The two passphrases differ.',

  'account.field.name': 'Name',
  'account.field.nameHint': 'Shown at sign-in and written into every record, signature and change history.',
  'account.field.role': 'Role',
  'account.field.roleHint':
    "Administrators manage this computer's accounts and its automatic lock; editors record and change data; viewers only look.",
  'account.field.source': 'Source',
  'account.field.actions': 'Actions',
  'account.source.local': 'Made on this computer',
  'account.source.token': 'From a sync token',

  'account.first.title': 'Create the first account of this computer',
  'account.first.body':
    "Residents' data on this computer opens only after sign-in. The first account is this computer's administrator: it adds colleagues' accounts later, and resets a colleague's forgotten passphrase.",
  'account.first.noRecovery':
    'Only you know your passphrase: there is no backdoor and no recovery code. A forgotten passphrase can only be reset by another administrator of this computer; if the only administrator forgets theirs, the data on this computer cannot be opened again. Add a second administrator once inside.',
  'account.first.personLater': 'Once inside, link the account to yourself in the registry under Settings → Who I am.',
  'account.first.submit': 'Create the account and start',
  'account.first.making': 'Making the keys…',

  'account.signIn.title': 'Sign in',
  'account.signIn.account': 'Account',
  'account.signIn.passphrase': 'Passphrase',
  'account.signIn.passphraseFor': "{name}'s passphrase",
  'account.signIn.submit': 'Sign in',
  'account.signIn.checking': 'Checking the passphrase…',
  'account.signIn.wrong':
    'Wrong passphrase. Type it again, minding upper and lower case and the input method (a Chinese IME may type other letters).',
  'account.signIn.unknownAccount': 'This account is no longer on this computer. Choose another account.',
  'account.signIn.lockedIdle':
    'Locked after {minutes} minutes without activity. Enter your passphrase to return to where you were.',
  'account.signIn.lockedSystem': 'Locked when the computer locked its screen or went to sleep. Enter your passphrase.',
  'account.signIn.lockedManual': 'Locked. Enter your passphrase.',
  'account.signIn.switch': 'Choose the account to sign in with.',

  'account.opening.title': 'Opening, {name}',
  'account.opening.body': 'Opening the data of this computer…',
  'account.migrating.title': 'Encrypting the data already on this computer',
  'account.migrating.body':
    'The data stored on this computer is being encrypted with the account keys. This happens once. Please keep the window open.',
  'account.migrating.count': '{done} of {total} done ({percent}%)',
  'account.locking.title': 'Locking',
  'account.locking.body': 'Saving and closing the data of this computer…',
  'account.failed.back': 'Back to sign-in',

  'account.menu.label': 'Account: {name}',
  'account.menu.signedInAs': 'Signed in: {name}',
  'account.menu.lock': 'Lock',
  'account.menu.switch': 'Switch user',
  'account.menu.settings': 'Account settings',

  'account.settings.title': 'Accounts',
  'account.settings.current': 'Signed in: {name} ({role})',
  'account.settings.you': 'You',
  'account.settings.notYourself': 'You cannot change your own role or remove yourself',
  'account.settings.noRecoveryAdmin':
    'There is no backdoor and no recovery code. When a colleague forgets their passphrase, only you (or another administrator of this computer) can reset it here. Keep at least two administrators on this computer.',
  'account.settings.noRecoveryUser':
    'There is no backdoor and no recovery code. If you forget your passphrase, an administrator of this computer resets it. Accounts are managed by the administrators of this computer.',
  'account.cancel': 'Cancel',
  'account.close': 'Close',

  'account.add.title': 'Add an account',
  'account.add.submit': 'Add',
  'account.add.tellInPerson':
    'Tell the person the first passphrase in person, and ask them to change it in Settings → Accounts after signing in.',
  'account.add.fromToken':
    'An account on this computer for {name}, role: {role} (from the sync token; can be changed later in Settings → Accounts).',
  'account.add.done': 'Account {name} added.',

  'account.reset.title': "Reset {name}'s passphrase",
  'account.reset.body':
    "{name}'s old passphrase stops working at once. Tell them the new one in person and ask them to change it.",
  'account.reset.submit': 'Reset passphrase',
  'account.reset.for': "Reset {name}'s passphrase",
  'account.reset.done': "{name}'s passphrase was reset.",

  'account.role.title': "Change {name}'s role",
  'account.role.submit': 'Change role',
  'account.role.for': "Change {name}'s role",
  'account.role.done': '{name} is now {role}.',

  'account.remove.title': 'Remove the account {name}?',
  'account.remove.body':
    '{name} will no longer be able to sign in on this computer. Records and change histories already written keep their name.',
  'account.remove.submit': 'Remove',
  'account.remove.for': 'Remove the account {name}',
  'account.remove.done': 'Account {name} removed.',

  'account.own.title': 'Change my passphrase',
  'account.own.current': 'Current passphrase',
  'account.own.submit': 'Change passphrase',
  'account.own.done': 'Passphrase changed. Use the new one next time you sign in.',

  'account.identity.name': 'Name in records: {name}',
  'account.identity.hint':
    'That is the signed-in account. Every record, signature and change history names it; another person uses "Switch user" at the top right.',

  'account.idle.title': 'Automatic lock',
  'account.idle.label': 'Lock after this long without activity',
  'account.idle.hint':
    'A setting of this computer. Locking saves first, then closes the data; the passphrase brings you back where you were.',
  'account.idle.adminOnly': 'Set by an administrator of this computer.',
  'account.idle.minutes': '{n} min',
  'account.idle.systemDesktop': 'Locking the computer (Win+L) or its going to sleep locks at once too.',
  'account.idle.systemBrowser':
    'In a browser the app is not told when the computer locks: only the time without activity locks it.',

  'account.token.title': 'An account for the person of the sync token?',
  'account.token.body':
    "This computer joined the sync server with {name}'s token ({role}). With an account on this computer, {name} signs in with their own passphrase and their changes carry their name.",
  'account.token.create': 'Create an account for {name}',
  'account.token.no': 'No thanks',
  'account.token.created':
    'Account for {name} created. Tell them the first passphrase in person; they sign in with "Switch user" at the top right.',
  // "Remember on this computer" (Electron safeStorage; docs/security.md).
  'account.error.not-remembered': 'This account is not remembered on this computer. Enter the passphrase.',
  'account.error.remembered-unreadable':
    'The remembered sign-in cannot be used here (for example the data folder was copied to another computer or ' +
    'Windows account) and has been forgotten. Enter the passphrase.',
  'account.error.os-keychain-unavailable':
    "The system's secure storage is not available right now. Enter the passphrase.",
  'account.remember.checkbox': 'Remember me on this computer (no passphrase when the app starts)',
  'account.remember.hint':
    'Only on a Windows account used by you alone: anyone who can use this Windows account opens the app as you. ' +
    'After a lock or a user switch the passphrase is still asked.',
  'account.remember.noKeychain': 'This system offers no secure storage: the sign-in cannot be remembered.',
  'account.remember.basicText':
    'No system keyring is set up (Linux): it could only encrypt with a fixed key, so "remember me" is not offered.',
  'account.remember.signIn': 'Sign in as {name} (remembered on this computer, no passphrase)',
  'account.remember.forget': 'Forget {name}',
  'account.remember.forgotten': '{name} is no longer remembered; the passphrase is asked from now on.',
  'account.remember.failed':
    'Could not remember the sign-in on this computer: {message}. Untick "remember me" and sign in.',
  'account.menu.lockForget': 'Lock and forget this computer',
} as const;
