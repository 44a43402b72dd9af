import type { Rng } from './rng.ts';
import { chance, pick, pickWeighted } from './rng.ts';

/** A person's name as FHIR HumanName wants it, plus the display form. */
export interface PersonName {
  family: string;
  given: string;
  /** 王秀英 (family first, no space) or Emily Chen (given first). */
  text: string;
}

/** `'a, b, c'` → `['a', 'b', 'c']`: long name lists stay readable as data. */
const list = (items: string): readonly string[] => items.split(', ');

/** `'王7.1 李7'` → `[['王', 7.1], ['李', 7]]`. */
const weighted = (items: string): (readonly [string, number])[] =>
  items.split(' ').map((item) => {
    const at = item.search(/[0-9]/);
    return [item.slice(0, at), Number(item.slice(at))] as const;
  });

/**
 * Common Chinese surnames with their approximate share of the population in percent (order and
 * rough magnitudes of the published surname rankings; weights, not statistics).
 */
const chineseSurnames: readonly (readonly [string, number])[] = weighted(
  '王7.1 李7.0 张6.4 刘5.4 陈4.5 杨3.1 黄2.2 赵2.0 吴1.9 周1.9 徐1.3 孙1.2 ' +
    '马1.2 朱1.1 胡1.0 郭1.0 何0.9 林0.9 高0.9 罗0.8 郑0.8 梁0.7 谢0.6 宋0.6 ' +
    '唐0.6 许0.5 韩0.5 冯0.5 邓0.5 曹0.5 彭0.5 曾0.5 肖0.4 田0.4 董0.4 袁0.4 ' +
    '潘0.4 于0.4 蒋0.4 蔡0.4 余0.3 杜0.3 叶0.3 程0.3 苏0.3 魏0.3 吕0.3 丁0.3 ' +
    '任0.3 沈0.3 姚0.3 卢0.3 姜0.3 崔0.3 钟0.2 谭0.2 陆0.2 汪0.2 范0.2 金0.2 ' +
    '石0.2 廖0.2 贾0.2 夏0.2 方0.2 邹0.2 熊0.2 孟0.2 秦0.2 白0.2 欧阳0.05 ' +
    '司马0.02',
);

/** Given names by generation: names people of a birth cohort actually tend to carry. */
const chineseGiven = {
  // born before 1965
  older: {
    male: list(
      '建国, 建华, 国强, 志强, 德明, 振华, 国庆, 卫国, 建军, 福生, 长春, 海龙, 文华, 永胜, 立新, 明, 军, 勇, 刚, 强, 华, 平',
    ),
    female: list(
      '秀英, 桂英, 秀兰, 玉兰, 桂兰, 淑珍, 凤英, 玉梅, 秀珍, 淑英, 玉珍, 丽华, 素芬, 美华, 桂芳, 兰, 芳, 红, 英, 萍',
    ),
  },
  // born 1965–1984
  middle: {
    male: list(
      '伟, 磊, 勇, 军, 斌, 涛, 强, 鹏, 杰, 峰, 海波, 志刚, 建伟, 晓东, 红军, 文斌, 俊, 辉, 永刚, 海涛',
    ),
    female: list(
      '丽, 娟, 敏, 静, 艳, 芳, 红梅, 丽娟, 晓燕, 海燕, 春梅, 雪梅, 玉洁, 慧, 婷, 琳, 霞, 丽萍, 晓红, 艳华',
    ),
  },
  // born 1985 or later
  younger: {
    male: list(
      '浩, 宇, 轩, 子豪, 浩然, 宇航, 俊杰, 思远, 嘉豪, 博文, 天宇, 文博, 子轩, 一鸣, 泽宇, 睿, 晨, 昊天, 梓睿, 皓轩',
    ),
    female: list(
      '欣怡, 梓涵, 雨欣, 思琪, 诗涵, 佳怡, 子琪, 雨桐, 梦瑶, 心怡, 婧, 琪, 悦, 璐, 倩, 婷婷, 雪, 可馨, 若曦, 佳琪',
    ),
  },
} as const;

const westernGiven = {
  male: list(
    'James, John, Robert, Michael, David, William, Richard, Thomas, Daniel, Matthew, ' +
      'Oliver, George, Harry, Jack, Peter, Paul, Andrew, Mark, Steven, Kevin',
  ),
  female: list(
    'Mary, Patricia, Jennifer, Linda, Elizabeth, Susan, Sarah, Emily, Emma, Olivia, ' +
      'Sophie, Charlotte, Jessica, Karen, Nancy, Helen, Grace, Amy, Rachel, Laura',
  ),
} as const;

const westernFamily = list(
  'Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Martinez, ' +
    'Wilson, Anderson, Taylor, Thomas, Moore, Jackson, Martin, Thompson, White, ' +
    'Harris, Clark, Lewis, Walker, Hall, Evans, Wright, Roberts, Green, Patel, ' +
    'Hughes, Cooper',
);

/** Mainland surnames in pinyin, for members of Chinese descent abroad (Kevin Chen). */
const pinyinFamily = list('Chen, Wang, Li, Zhang, Liu, Lin, Huang, Zhao, Wu, Zhou, Xu, Sun');

/** Hong Kong surnames in Cantonese romanisation (Kelvin Chan). */
const cantoneseFamily = list('Chan, Wong, Lee, Cheung, Lau, Ho, Ng, Leung, Yip, Tang, Lam, Tse');
const hongKongGiven = {
  male: list('Kelvin, Kenneth, Raymond, Alan, Eric, Patrick, Wing Kei, Ka Ming, Chi Wai, Tsz Hin'),
  female: list(
    'Winnie, Queenie, Cecilia, Joyce, Irene, Vivian, Mei Ling, Wai Yee, Hoi Yan, Ka Yan',
  ),
} as const;

export type NameStyle = 'chinese' | 'western' | 'diaspora' | 'hongkong';

export function chineseName(rng: Rng, gender: 'male' | 'female', birthYear: number): PersonName {
  const family = pickWeighted(rng, chineseSurnames);
  const cohort =
    birthYear < 1965
      ? chineseGiven.older
      : birthYear < 1985
        ? chineseGiven.middle
        : chineseGiven.younger;
  const given = pick(rng, cohort[gender]);
  return { family, given, text: family + given };
}

export function englishName(
  rng: Rng,
  gender: 'male' | 'female',
  style: Exclude<NameStyle, 'chinese'>,
): PersonName {
  const given = pick(rng, style === 'hongkong' ? hongKongGiven[gender] : westernGiven[gender]);
  const family = pick(
    rng,
    style === 'hongkong' ? cantoneseFamily : style === 'diaspora' ? pinyinFamily : westernFamily,
  );
  return { family, given, text: `${given} ${family}` };
}

/** The name style a member gets from where they live and the language they use. */
export function nameStyleFor(rng: Rng, timeZone: string, locale: 'zh-CN' | 'en'): NameStyle {
  if (locale === 'zh-CN') return 'chinese';
  if (timeZone === 'Asia/Hong_Kong') return 'hongkong';
  if (timeZone === 'Asia/Shanghai') return 'western';
  return chance(rng, timeZone === 'America/Los_Angeles' ? 0.4 : 0.3) ? 'diaspora' : 'western';
}
