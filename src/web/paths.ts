// The site's URLs: Vietnamese under /vi, English under /en, otherwise the same path, so that
// switching language keeps the view (and its query) and every view is a permalink.
import type { Lang } from './i18n.js';

export const rankingPath = (lang: Lang, year: number, unitType: string) => `/${lang}/ranking/${year}/${unitType}`;
export const profilePath = (lang: Lang, code: string, year: number) => `/${lang}/units/${encodeURIComponent(code)}/${year}`;
/** The same URL in the other language. */
export const otherLanguage = (url: string, lang: Lang) => url.replace(/^\/(vi|en)(?=\/|$|\?)/, `/${lang === 'vi' ? 'en' : 'vi'}`);
/** The JSON and CSV of the same publication. */
export const resultsApi = (year: number, unitType: string, revision?: string, ext = '') =>
  `/v1/cycles/${year}/${unitType}/results${ext}${revision ? `?revision=${revision}` : ''}`;
export const scorecardApi = (year: number, unitType: string, code: string, revision?: string) =>
  `/v1/cycles/${year}/${unitType}/units/${encodeURIComponent(code)}${revision ? `?revision=${revision}` : ''}`;
export const mapPath = (lang: Lang, year: number, unitType: string) => `/${lang}/map/${year}/${unitType}`;
export const methodologyPath = (lang: Lang, year: number, unitType: string) => `/${lang}/methodology/${year}/${unitType}`;
export const comparePath = (lang: Lang, year: number, unitType: string, units: string[] = []) =>
  `/${lang}/compare/${year}/${unitType}${units.length ? `?${units.map((u) => `units=${encodeURIComponent(u)}`).join('&')}` : ''}`;
/** A publication's downloads, beside its ranking page; ?revision pins one as the page does. */
export const xlsxPath = (lang: Lang, year: number, unitType: string, revision?: string) =>
  `${rankingPath(lang, year, unitType)}/results.xlsx${revision ? `?revision=${revision}` : ''}`;
export const svgPath = (lang: Lang, year: number, unitType: string, revision?: string) =>
  `${rankingPath(lang, year, unitType)}/chart.svg${revision ? `?revision=${revision}` : ''}`;
/** The iframe-friendly chart: one URL for both languages, the language a parameter. */
export const EMBED_PREFIX = '/embed/';
export const embedPath = (lang: Lang, year: number, unitType: string, revision?: string) =>
  `${EMBED_PREFIX}ranking/${year}/${unitType}?lang=${lang}${revision ? `&revision=${revision}` : ''}`;
