/**
 * What the demonstration works on: the files in the project (a draft, notes, an article) and what the
 * stand-in model answers for each agent. The answers are what the example agents' instructions ask
 * for (edited markdown, the illustrator's JSON, the SEO JSON, the launch brief), short enough to read.
 */

/** Files written into the demo project before each run; the invoke lines name them as `key=@file`. */
export const PROJECT_FILES: Record<string, string> = {
  'draft.md':
    '# Solar kites\n\nIt is the case that kites which are powered by the sun are able to stay up in the air for a very long time.\n',
  'notes.md': '- kite: 2 m² film cells, 40 g\n- flew 31 h over the bay in June\n- tether carries power down\n',
  'article.md': '# Solar kites\n\nSolar kites carry thin film cells and stay aloft for a day and more.\n',
}

export const EDITED_DRAFT = '# Solar kites\n\nSun-powered kites stay aloft for hours.'
export const EDITED_WITH_PICTURE =
  '# Solar kites\n\n![A kite with solar cells over a bay](illustration.svg)\n\nSun-powered kites stay aloft for hours.'

export const TECH_DRAFT =
  '# Solar kites\n\nOur solar kite, with 2 m² of film cells at 40 g, flew for 31 hours over the bay in June. Its tether carries the power down.'
export const TECH_EDITED =
  '# Solar kites\n\nOur 40 g solar kite flew 31 hours over the bay in June. Its tether carries the power down.'

export const ARTICLE_EDITED = '# Solar kites\n\nSolar kites carry film cells and stay up for a day.'
export const ART = {
  svg: '<svg viewBox="0 0 640 360"><path d="M320 60 L420 180 L320 300 L220 180 Z" fill="#f5b700"/></svg>',
  alt: 'A kite with solar cells over a bay',
}
export const SEO = {
  score: 72,
  title: 'Solar kites that fly for a day',
  keywords: ['solar kite', 'airborne solar', 'film cells'],
}
export const BRIEF = {
  title: SEO.title,
  summary: 'Solar kites stay up for a day. Thin film cells power them. The tether brings the power down.',
  image_alt: ART.alt,
  keywords: SEO.keywords,
}
