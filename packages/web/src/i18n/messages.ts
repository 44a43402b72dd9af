// Every string the page shows, in both languages. Wording flags risks and routes to clinicians; it
// never states a diagnosis.

export type Lang = 'zh-CN' | 'en';

const en = {
  appName: 'CareLoop',
  appTagline: 'Health management',
  switchLanguage: '中文',
  switchLanguageLabel: 'Switch to Chinese',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signInTitle: 'Sign in to CareLoop',
  signInFailed: 'Sign-in failed',
  username: 'Username',
  password: 'Password',
  signOut: 'Sign out',
  loading: 'Loading…',
  loadFailed: 'Could not load',
  retry: 'Retry',
  caseload: 'My caseload',
  allMembers: 'All members',
  searchPlaceholder: 'Search by name or member ID',
  searchLabel: 'Search members',
  membersTotal: (n: number) => `${n} ${n === 1 ? 'member' : 'members'}`,
  noMembers: 'No members found',
  colName: 'Name',
  colFlags: 'Profile flags',
  colBpClass: 'BP class',
  colLastReading: 'Last reading',
  colOpenTasks: 'Open care tasks',
  previous: 'Previous',
  next: 'Next',
  pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
  backToList: '← Caseload',
  myHealth: 'My health',
  age: (years: number) => `${years} y`,
  timeZone: 'Time zone',
  profile: 'Health profile',
  disclaimer:
    'These are risk flags from guideline rules, not diagnoses — please confirm with your doctor.',
  flags: 'Flags',
  noFlags: 'No flags',
  assessments: 'Assessments',
  bpSummary: 'Blood pressure summary',
  latestValues: 'Latest values',
  rule: 'Rule',
  source: 'Source',
  evidence: 'Evidence',
  noEvidence: 'No stored readings behind this item.',
  evTime: 'Time',
  evCode: 'Code',
  evValue: 'Value',
  bpReadings: 'Blood pressure readings',
  bpChartTitle: 'Systolic and diastolic blood pressure over time',
  referenceLine: 'reference 140/90 mmHg',
  systolic: 'Systolic',
  diastolic: 'Diastolic',
  time: 'Time',
  readingSource: 'Source',
  noReadings: 'No blood pressure readings yet',
  showAll: (n: number) => `Show all ${n}`,
  showFewer: 'Show fewer',
  inbox: 'Inbox',
  unread: (n: number) => `${n} unread`,
  inboxEmpty: 'No messages yet',
  markRead: 'Mark as read',
  markDone: 'Done',
  actionFailed: 'That did not go through',
  careTasks: 'Open care tasks',
  noCareTasks: 'No open care tasks',
  slaDue: 'Respond by',
  refresh: 'Refresh',
  notFound: 'Page not found',
  goHome: 'Go to the start page',
};

export type Messages = typeof en;

const zh: Messages = {
  appName: 'CareLoop',
  appTagline: '健康管理',
  switchLanguage: 'English',
  switchLanguageLabel: '切换到英文',
  signIn: '登录',
  signingIn: '正在登录…',
  signInTitle: '登录 CareLoop',
  signInFailed: '登录失败',
  username: '用户名',
  password: '密码',
  signOut: '退出登录',
  loading: '加载中…',
  loadFailed: '加载失败',
  retry: '重试',
  caseload: '我的会员',
  allMembers: '全部会员',
  searchPlaceholder: '按姓名或会员编号搜索',
  searchLabel: '搜索会员',
  membersTotal: (n) => `共 ${n} 位会员`,
  noMembers: '没有找到会员',
  colName: '姓名',
  colFlags: '健康标签',
  colBpClass: '血压分级',
  colLastReading: '最近读数',
  colOpenTasks: '待办护理任务',
  previous: '上一页',
  next: '下一页',
  pageOf: (page, pages) => `第 ${page} / ${pages} 页`,
  backToList: '← 会员列表',
  myHealth: '我的健康',
  age: (years) => `${years} 岁`,
  timeZone: '时区',
  profile: '健康画像',
  disclaimer: '以下为依据指南规则得出的风险提示，不构成诊断——请与您的医生确认。',
  flags: '健康标签',
  noFlags: '暂无标签',
  assessments: '评估分级',
  bpSummary: '血压概况',
  latestValues: '最近指标',
  rule: '规则',
  source: '出处',
  evidence: '依据',
  noEvidence: '此项没有对应的原始读数。',
  evTime: '时间',
  evCode: '编码',
  evValue: '数值',
  bpReadings: '血压记录',
  bpChartTitle: '收缩压与舒张压趋势',
  referenceLine: '参考线 140/90 mmHg',
  systolic: '收缩压',
  diastolic: '舒张压',
  time: '时间',
  readingSource: '来源',
  noReadings: '暂无血压记录',
  showAll: (n) => `显示全部 ${n} 条`,
  showFewer: '收起',
  inbox: '消息',
  unread: (n) => `${n} 条未读`,
  inboxEmpty: '暂无消息',
  markRead: '标记已读',
  markDone: '我已完成',
  actionFailed: '操作未成功',
  careTasks: '待办护理任务',
  noCareTasks: '暂无待办护理任务',
  slaDue: '响应时限',
  refresh: '刷新',
  notFound: '页面不存在',
  goHome: '返回首页',
};

export const messages: Record<Lang, Messages> = { 'zh-CN': zh, en };

type Labels = Record<string, { 'zh-CN': string; en: string }>;

/** Profile tags as risk flags for the list view; the member page shows each tag's full wording. */
export const tagLabels: Labels = {
  hypertension: { 'zh-CN': '血压处于高血压范围', en: 'BP in hypertension range' },
  bp_elevated_unconfirmed: { 'zh-CN': '血压偏高（待复测）', en: 'BP raised (to re-check)' },
  diabetes: { 'zh-CN': '血糖处于糖尿病范围', en: 'Glucose in diabetes range' },
  prediabetes: { 'zh-CN': '血糖处于糖尿病前期范围', en: 'Glucose in prediabetes range' },
  glucose_elevated_unconfirmed: {
    'zh-CN': '血糖偏高（待复测）',
    en: 'Glucose raised (to re-check)',
  },
  dyslipidemia: { 'zh-CN': '血脂异常范围', en: 'Lipids in abnormal range' },
  hyperuricemia: { 'zh-CN': '尿酸偏高', en: 'Uric acid raised' },
  uric_acid_elevated_unconfirmed: {
    'zh-CN': '尿酸偏高（待复测）',
    en: 'Uric acid raised (to re-check)',
  },
  ckd: { 'zh-CN': '肾功能指标异常', en: 'Kidney markers abnormal' },
  kidney_marker_abnormal_unconfirmed: {
    'zh-CN': '肾功能指标异常（待复测）',
    en: 'Kidney markers abnormal (to re-check)',
  },
  central_obesity: { 'zh-CN': '腰围处于中心型肥胖范围', en: 'Waist in central-obesity range' },
  pregnancy: { 'zh-CN': '孕期', en: 'Pregnancy' },
};

/** The BP classes of the Chinese hypertension guideline (2018), as reading ranges. */
export const bpClassLabels: Labels = {
  normal: { 'zh-CN': '正常', en: 'Normal' },
  'high-normal': { 'zh-CN': '正常高值', en: 'High-normal' },
  'grade-1': { 'zh-CN': '1级高血压范围', en: 'Grade 1 range' },
  'grade-2': { 'zh-CN': '2级高血压范围', en: 'Grade 2 range' },
  'grade-3': { 'zh-CN': '3级高血压范围', en: 'Grade 3 range' },
};

export const sourceKindLabels: Labels = {
  device: { 'zh-CN': '设备', en: 'Device' },
  self: { 'zh-CN': '自测录入', en: 'Self-entered' },
  checkup: { 'zh-CN': '体检', en: 'Checkup' },
  clinic: { 'zh-CN': '门诊', en: 'Clinic' },
};

export const messageStateLabels: Labels = {
  delivered: { 'zh-CN': '未读', en: 'Unread' },
  sent: { 'zh-CN': '未读', en: 'Unread' },
  opened: { 'zh-CN': '已读', en: 'Read' },
  clicked: { 'zh-CN': '已查看', en: 'Viewed' },
  acted: { 'zh-CN': '已完成', en: 'Done' },
};

export const priorityLabels: Labels = {
  'red-flag': { 'zh-CN': '紧急', en: 'Urgent' },
  urgent: { 'zh-CN': '紧急', en: 'Urgent' },
  high: { 'zh-CN': '高', en: 'High' },
  clinical: { 'zh-CN': '临床', en: 'Clinical' },
  care: { 'zh-CN': '关怀', en: 'Care' },
  normal: { 'zh-CN': '普通', en: 'Normal' },
  engagement: { 'zh-CN': '互动', en: 'Engagement' },
  marketing: { 'zh-CN': '推广', en: 'Promotion' },
};

export const genderLabels: Labels = {
  male: { 'zh-CN': '男', en: 'Male' },
  female: { 'zh-CN': '女', en: 'Female' },
  other: { 'zh-CN': '其他', en: 'Other' },
  unknown: { 'zh-CN': '未知', en: 'Unknown' },
};

/** A code's label in the language, or the code itself made readable when none is known. */
export function labelOf(labels: Labels, code: string, lang: Lang): string {
  return labels[code]?.[lang] ?? code.replace(/[_-]+/g, ' ');
}
