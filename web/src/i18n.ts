// Every string the user reads, per locale, and the locale-aware formatting of dates and waits.
// Chinese (zh-CN) is the default; the choice is remembered in localStorage.
import { useCallback, useMemo, useSyncExternalStore } from 'react';

export type Locale = 'zh-CN' | 'en';
export const locales: readonly Locale[] = ['zh-CN', 'en'];
/** Each language named in itself, as language switches conventionally show them. */
export const localeNames: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

const zhCN = {
  'app.name': '家居联盟推荐平台',
  'app.tagline': '客户同意后才交换联系方式的商户联盟',
  'locale.label': '语言',
  loading: '加载中…',
  retry: '重试',

  'auth.signOut': '退出登录',
  'auth.signingOut': '正在退出…',
  'auth.merchantSignIn.title': '商户登录',
  'auth.merchantSignIn.intro': '店主和员工使用邮箱登录商户控制台。',
  'auth.customerSignIn.title': '客户登录',
  'auth.customerSignIn.intro': '用手机号登录，查看推荐请求、管理你的授权。',
  'auth.signIn.submit': '登录',
  'auth.signIn.pending': '正在登录…',
  'auth.toSignUp': '还没有商户账号？立即注册',
  'auth.toSignIn': '已有商户账号？去登录',
  'auth.toCustomer': '我是客户',
  'auth.toMerchant': '我是商户',
  'auth.toClaim': '收到商户的邀请码？领取账号',
  'auth.signUp.title': '注册商户',
  'auth.signUp.intro': '注册后你就是店主，可以添加员工、发布隐私政策。',
  'auth.signUp.submit': '注册并进入控制台',
  'auth.signUp.pending': '正在注册…',
  'auth.claim.title': '领取客户账号',
  'auth.claim.intro': '商户给了你一个邀请码。设置密码后，即可用手机号登录，查看谁在使用你的信息并随时撤回授权。',
  'auth.claim.submit': '领取账号',
  'auth.claim.pending': '正在领取…',
  'auth.claim.invalidCode': '邀请码无效或已过期，请向商户索取新的邀请码。',
  'auth.claim.used': '这个邀请码已经用过了。如果是你领取的，请直接登录。',
  'auth.claim.existingAccount': '你已经有账号了：请输入那个账号的密码，把这家商户加进来。',

  'field.email': '邮箱',
  'field.phone': '手机号',
  'field.password': '密码',
  'field.newPassword': '设置密码（8-128 个字符）',
  'field.displayName': '姓名',
  'field.merchantName': '店铺名称',
  'field.category': '经营品类',
  'field.category.placeholder': '如：沙发、瓷砖、窗帘、灯具',
  'field.city': '城市',
  'field.code': '邀请码',
  'field.canViewContacts': '允许查看客户联系方式（姓名、电话、地址）',
  'field.text': '政策内容',
  'field.login': '登录账号',

  'validate.required': '请填写此项。',
  'validate.tooLong': '最多 {max} 个字。',
  'validate.email': '请输入有效的邮箱地址，例如 name@example.com。',
  'validate.password': '密码需为 8 到 128 个字符。',
  'validate.phone': '请输入有效的手机号。',

  'error.UNAUTHENTICATED': '登录已失效，请重新登录。',
  'error.wrongLogin': '账号或密码不正确，请重试。',
  'error.FORBIDDEN': '你没有权限进行此操作。',
  'error.NOT_FOUND': '找不到该内容，可能已被删除，或你无权查看。',
  'error.BAD_USER_INPUT': '填写的内容有误，请检查后重试。',
  'error.BAD_USER_INPUT.field': '「{field}」填写有误，请检查后重试。',
  'error.CONFLICT': '当前状态不允许此操作，可能已经处理过了。',
  'error.emailTaken': '该邮箱已被注册。',
  'error.CONSENT_REFUSED': '客户的授权设置不允许此次联系。',
  'error.RATE_LIMITED': '操作过于频繁，请{when}再试。',
  'error.RATE_LIMITED.later': '操作过于频繁，请稍后再试。',
  'error.INTERNAL_SERVER_ERROR': '服务器出了点问题，请稍后重试。',
  'error.network': '无法连接服务器，请检查网络后重试。',
  'error.unavailable': '服务器暂未开放此功能，请稍后再试。',
  'error.unknown': '出现了意外错误，请稍后重试。',

  'nav.label': '主导航',
  'nav.merchantHome': '店铺',
  'nav.staff': '员工',
  'nav.privacy': '隐私政策',
  'nav.admin': '联盟管理',
  'nav.customerHome': '我的账户',

  'hello': '你好，{name}',
  'role.MERCHANT_OWNER': '店主',
  'role.MERCHANT_STAFF': '员工',
  'role.CUSTOMER': '客户',
  'role.ALLIANCE_ADMIN': '联盟管理员',

  'merchant.title': '商户控制台',
  'merchant.card.title': '店铺名片',
  'merchant.card.category': '品类',
  'merchant.card.city': '城市',
  'merchant.card.publicContact': '对外联系方式',
  'merchant.card.notSet': '未设置',
  'merchant.card.yourRole': '你的身份',
  'merchant.contacts.yes': '你可以查看本店客户的联系方式。',
  'merchant.contacts.no': '你不能查看客户联系方式，只会看到客户化名。',

  'privacy.title': '隐私政策',
  'privacy.intro': '客户在同意推荐之前会看到这份说明。每次发布都会生成新版本，旧版本保持不变。',
  'privacy.current': '当前为第 {version} 版，发布于 {date}',
  'privacy.none': '尚未发布隐私政策。客户同意授权前需要看到它。',
  'privacy.showText': '查看当前内容',
  'privacy.submit': '发布新版本',
  'privacy.pending': '正在发布…',
  'privacy.published': '已发布第 {version} 版。',

  'staff.title': '添加员工',
  'staff.intro': '员工用自己的邮箱和密码登录本店控制台。',
  'staff.contactsHint': '不勾选时，该员工只能看到客户化名，看不到任何联系方式。',
  'staff.submit': '添加员工',
  'staff.pending': '正在添加…',
  'staff.added': '已添加员工「{name}」。',
  'staff.added.contacts': '已添加员工「{name}」，可查看客户联系方式。',

  'customer.title': '我的账户',
  'customer.intro': '你的信息只保存在你提供给的商户处；其他商户只有在你同意后才能看到你授权的内容。',
  'customer.merchants': '保存你信息的商户',
  'customer.merchants.none': '目前没有商户保存你的信息。',

  'admin.title': '联盟管理',
  'admin.alliances': '你管理的联盟',
  'admin.none': '你目前没有管理任何联盟。',

  'notFound.title': '页面不存在',
  'notFound.back': '返回首页',
};

export type MessageKey = keyof typeof zhCN;

const en: Record<MessageKey, string> = {
  'app.name': 'Home Alliance Referrals',
  'app.tagline': 'Merchants share customers only after the customer agrees',
  'locale.label': 'Language',
  loading: 'Loading…',
  retry: 'Try again',

  'auth.signOut': 'Sign out',
  'auth.signingOut': 'Signing out…',
  'auth.merchantSignIn.title': 'Merchant sign-in',
  'auth.merchantSignIn.intro': 'Owners and staff sign in to the merchant console with their email.',
  'auth.customerSignIn.title': 'Customer sign-in',
  'auth.customerSignIn.intro': 'Sign in with your mobile number to see referral requests and manage your consent.',
  'auth.signIn.submit': 'Sign in',
  'auth.signIn.pending': 'Signing in…',
  'auth.toSignUp': 'No merchant account yet? Sign up',
  'auth.toSignIn': 'Already have a merchant account? Sign in',
  'auth.toCustomer': 'I am a customer',
  'auth.toMerchant': 'I am a merchant',
  'auth.toClaim': 'Got an invite code from a merchant? Claim your account',
  'auth.signUp.title': 'Register your business',
  'auth.signUp.intro': 'You become the owner: you can add staff and publish your privacy notice.',
  'auth.signUp.submit': 'Sign up and open the console',
  'auth.signUp.pending': 'Signing up…',
  'auth.claim.title': 'Claim your customer account',
  'auth.claim.intro':
    'A merchant gave you an invite code. Choose a password, then sign in with your mobile number to see who uses your data and withdraw consent at any time.',
  'auth.claim.submit': 'Claim account',
  'auth.claim.pending': 'Claiming…',
  'auth.claim.invalidCode': 'This invite code is not valid or has expired. Ask the shop for a new one.',
  'auth.claim.used': 'This invite code was already used. If it was you, sign in instead.',
  'auth.claim.existingAccount': 'You already have an account: enter its password to add this shop.',

  'field.email': 'Email',
  'field.phone': 'Mobile number',
  'field.password': 'Password',
  'field.newPassword': 'Choose a password (8-128 characters)',
  'field.displayName': 'Name',
  'field.merchantName': 'Business name',
  'field.category': 'Category',
  'field.category.placeholder': 'e.g. sofas, tiles, curtains, lighting',
  'field.city': 'City',
  'field.code': 'Invite code',
  'field.canViewContacts': 'May see customer contact details (name, phone, address)',
  'field.text': 'Notice text',
  'field.login': 'Login',

  'validate.required': 'Please fill this in.',
  'validate.tooLong': 'At most {max} characters.',
  'validate.email': 'Enter a valid email address, e.g. name@example.com.',
  'validate.password': 'Passwords are 8 to 128 characters.',
  'validate.phone': 'Enter a valid mobile number.',

  'error.UNAUTHENTICATED': 'Your session has ended. Please sign in again.',
  'error.wrongLogin': 'Wrong login or password. Please try again.',
  'error.FORBIDDEN': "You don't have permission to do this.",
  'error.NOT_FOUND': "We couldn't find that. It may have been removed, or you may not have access to it.",
  'error.BAD_USER_INPUT': 'Something you entered is not accepted. Please check and try again.',
  'error.BAD_USER_INPUT.field': 'Please check "{field}": the value is not accepted.',
  'error.CONFLICT': 'This cannot be done right now; it may already have been done.',
  'error.emailTaken': 'This email is already registered.',
  'error.CONSENT_REFUSED': "The customer's consent settings do not allow this contact.",
  'error.RATE_LIMITED': 'Too many requests. Please try again {when}.',
  'error.RATE_LIMITED.later': 'Too many requests. Please try again later.',
  'error.INTERNAL_SERVER_ERROR': 'Something went wrong on our side. Please try again later.',
  'error.network': "Can't reach the server. Check your connection and try again.",
  'error.unavailable': 'The server does not offer this yet. Please try again later.',
  'error.unknown': 'Something unexpected happened. Please try again.',

  'nav.label': 'Main navigation',
  'nav.merchantHome': 'Business',
  'nav.staff': 'Staff',
  'nav.privacy': 'Privacy notice',
  'nav.admin': 'Alliance admin',
  'nav.customerHome': 'My account',

  'hello': 'Hello, {name}',
  'role.MERCHANT_OWNER': 'Owner',
  'role.MERCHANT_STAFF': 'Staff',
  'role.CUSTOMER': 'Customer',
  'role.ALLIANCE_ADMIN': 'Alliance admin',

  'merchant.title': 'Merchant console',
  'merchant.card.title': 'Business card',
  'merchant.card.category': 'Category',
  'merchant.card.city': 'City',
  'merchant.card.publicContact': 'Public contact',
  'merchant.card.notSet': 'Not set',
  'merchant.card.yourRole': 'Your role',
  'merchant.contacts.yes': "You may see your business's customers' contact details.",
  'merchant.contacts.no': 'You cannot see customer contact details; you see pseudonyms.',

  'privacy.title': 'Privacy notice',
  'privacy.intro':
    'Customers read this before they agree to a referral. Each publication is a new version; earlier versions stay unchanged.',
  'privacy.current': 'Version {version}, published {date}',
  'privacy.none': 'No privacy notice yet. Customers must see one before they consent.',
  'privacy.showText': 'Show the current text',
  'privacy.submit': 'Publish new version',
  'privacy.pending': 'Publishing…',
  'privacy.published': 'Version {version} published.',

  'staff.title': 'Add a staff member',
  'staff.intro': "Staff sign in to your business's console with their own email and password.",
  'staff.contactsHint': 'If unchecked, this person sees customers only by pseudonym, never their contact details.',
  'staff.submit': 'Add staff member',
  'staff.pending': 'Adding…',
  'staff.added': 'Added {name}.',
  'staff.added.contacts': 'Added {name}, who may see customer contact details.',

  'customer.title': 'My account',
  'customer.intro':
    'Your details stay with the merchant you gave them to; another merchant sees only what you agree to share.',
  'customer.merchants': 'Shops that keep your details',
  'customer.merchants.none': 'No shop keeps your details at the moment.',

  'admin.title': 'Alliance admin',
  'admin.alliances': 'Alliances you administer',
  'admin.none': 'You do not administer any alliance yet.',

  'notFound.title': 'Page not found',
  'notFound.back': 'Back to the start',
};

const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export const isMessageKey = (key: string): key is MessageKey => key in zhCN;

const STORAGE_KEY = 'arp.locale';
const stored = localStorage.getItem(STORAGE_KEY);
let current: Locale = locales.find((l) => l === stored) ?? 'zh-CN';
const listeners = new Set<() => void>();
document.documentElement.lang = current;

export function setLocale(locale: Locale): void {
  current = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
  listeners.forEach((l) => l());
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The current locale, its translate function `t` and the formatting that depends on the locale. */
export function useI18n() {
  const locale = useSyncExternalStore(subscribe, () => current);
  const t = useCallback<Translate>(
    (key, params) => dictionaries[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => String(params?.[name] ?? whole)),
    [locale],
  );
  return useMemo(
    () => ({
      locale,
      t,
      dateTime: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
      /** "in 5 minutes" / "5分钟后", in the largest whole unit. */
      after: (seconds: number) => {
        const [value, unit] =
          seconds >= 86_400 ? [Math.ceil(seconds / 86_400), 'day' as const]
          : seconds >= 3_600 ? [Math.ceil(seconds / 3_600), 'hour' as const]
          : seconds >= 60 ? [Math.ceil(seconds / 60), 'minute' as const]
          : [Math.max(1, Math.ceil(seconds)), 'second' as const];
        return new Intl.RelativeTimeFormat(locale, { numeric: 'always' }).format(value, unit);
      },
    }),
    [locale, t],
  );
}

export const useT = (): Translate => useI18n().t;
