import type { LocalizedText } from '../programs/programDefinition.ts';

/**
 * Milestone badges (勋章): awarded once, the moment the member reaches them (seed 003: the reward
 * is immediate). Each badge says what the achievement means for their health, so the reward carries
 * knowledge, not just a picture.
 */

export interface HabitStats {
  /** Readings the member recorded themselves or through their device (a BP pair counts once). */
  readings: number;
  /** Member tasks completed. */
  tasksCompleted: number;
  /** Longest streak in active local days. */
  longestStreak: number;
}

export interface BadgeDefinition {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  criterion: { stat: keyof HabitStats; atLeast: number };
}

export const badgeCatalogue: readonly BadgeDefinition[] = [
  {
    id: 'first-reading',
    title: { 'zh-CN': '第一次记录', en: 'First reading' },
    description: {
      'zh-CN': '您记录了第一次健康数据。数据会同步给您的健康管理师，帮助团队了解您的情况。',
      en: 'You recorded your first health reading. Your health manager sees it, so the team can understand how you are doing.',
    },
    criterion: { stat: 'readings', atLeast: 1 },
  },
  {
    id: 'first-task',
    title: { 'zh-CN': '迈出第一步', en: 'First step' },
    description: {
      'zh-CN': '您完成了第一个健康任务。小步骤坚持下来，就是好习惯。',
      en: 'You completed your first health task. Small steps, kept up, become good habits.',
    },
    criterion: { stat: 'tasksCompleted', atLeast: 1 },
  },
  {
    id: 'tasks-10',
    title: { 'zh-CN': '十项任务达成', en: 'Ten tasks done' },
    description: {
      'zh-CN': '您已完成 10 个健康任务。规律的自我管理让医生更容易看清您的健康趋势。',
      en: 'You have completed 10 health tasks. Regular self-management makes your health trends much clearer to your doctor.',
    },
    criterion: { stat: 'tasksCompleted', atLeast: 10 },
  },
  {
    id: 'tasks-50',
    title: { 'zh-CN': '五十项任务达成', en: 'Fifty tasks done' },
    description: {
      'zh-CN': '您已完成 50 个健康任务，健康管理已成为您生活的一部分。',
      en: 'You have completed 50 health tasks — managing your health has become part of your life.',
    },
    criterion: { stat: 'tasksCompleted', atLeast: 50 },
  },
  {
    id: 'streak-7',
    title: { 'zh-CN': '连续 7 天', en: '7-day streak' },
    description: {
      'zh-CN':
        '连续 7 天完成健康行为。《2019 中国家庭血压监测指南》建议连续 7 天早晚测量血压来评估血压水平——坚持这样的一周，就能给医生一份完整的记录。',
      en: "Seven days of health actions in a row. China's home blood-pressure monitoring guideline (2019) suggests measuring morning and evening for 7 days in a row to assess blood pressure — a week like this can give your doctor a complete record.",
    },
    criterion: { stat: 'longestStreak', atLeast: 7 },
  },
  {
    id: 'streak-30',
    title: { 'zh-CN': '连续 30 天', en: '30-day streak' },
    description: {
      'zh-CN': '连续 30 天完成健康行为，一个月的连续记录能清楚地反映您的健康趋势。',
      en: 'Thirty days of health actions in a row. A month of continuous records shows your health trends clearly.',
    },
    criterion: { stat: 'longestStreak', atLeast: 30 },
  },
  {
    id: 'streak-100',
    title: { 'zh-CN': '百日坚持', en: '100-day streak' },
    description: {
      'zh-CN': '连续 100 天完成健康行为，了不起的坚持！',
      en: 'One hundred days of health actions in a row — remarkable persistence!',
    },
    criterion: { stat: 'longestStreak', atLeast: 100 },
  },
];

/** Badges the stats now reach that the member does not hold yet, in catalogue order. */
export function newlyEarnedBadges(
  stats: HabitStats,
  held: readonly string[],
  catalogue: readonly BadgeDefinition[] = badgeCatalogue,
): BadgeDefinition[] {
  const have = new Set(held);
  return catalogue.filter((b) => !have.has(b.id) && stats[b.criterion.stat] >= b.criterion.atLeast);
}

export function badgeById(
  id: string,
  catalogue: readonly BadgeDefinition[] = badgeCatalogue,
): BadgeDefinition | undefined {
  return catalogue.find((b) => b.id === id);
}
