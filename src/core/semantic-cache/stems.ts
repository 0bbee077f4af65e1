/** Inflectional endings by language, shared by the content check (prompt-match.ts) and the synonym table (synonyms.ts). */

/**
 * Endings that inflect a word without making another word, by language (accent-folded). Not
 * -er in English or German (print/printer, Miete/Mieter), nor -ment, -ion, -age.
 */
export const stemEndings: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  Object.entries({
    en: 's es ed d ing e ly ies ied y',
    de: 'e en n s es em et t st te ten tet',
    fr: 'e es s er ez ee ees ent ons ais ait ai is it ir ra rai r x',
    // Spanish and Italian infinitives with a pronoun joined (conectarme, inscribirse, iscrivermi): the same verb.
    es: 'o a os as e es s ar er ir an en ais eis amos emos imos ado ada ados adas ido ida idos idas ando iendo io ia aron ieron arme arse arte arlo arla erme erse irme irse',
    it: 'o a i e are ere ire ato ata ati ate ito ita iti ite iamo ando endo ano ono armi arsi arti arlo arla ermi ersi irmi irsi',
    nl: 'e en n s t te ten de den d eer eert eerd eren',
    pt: 'o a os as e es s ar er ir am em ado ada ados adas ido ida idos idas ando endo ei ou iu',
    sv: 'a e en er et ar or na s t',
    pl: 'a e i o u y em ie ow ami ach',
  }).map(([language, endings]) => [language, new Set(['', ...endings.split(' ')])]),
);
/** When the language is not told: the endings every one of them shares (plurals and a final e). */
export const commonEndings: ReadonlySet<string> = new Set(['', 's', 'es', 'e', 'en', 'n']);

/** The endings that count for a language; the common ones when it is not told. */
export function endingsOf(language: string | undefined): ReadonlySet<string> {
  return (language && stemEndings[language]) || commonEndings;
}
