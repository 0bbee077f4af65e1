import type { Detection } from '../pii-type.js';
import { caseless } from './caseless.js';

const nameWord = String.raw`\p{Lu}[\p{L}'’.-]*`;
const germanWord = String.raw`\p{Lu}[\p{L}'’.]*`;
const connector = String.raw`(?:de|del|la|las|los|le|les|du|des|d'|l'|dei|della|delle|di|y|et|of|the)`;
const streetName = String.raw`(?:${connector}[ \t]+|d'|l')*${nameWord}(?:[ \t]+(?:${connector}[ \t]+|d'|l')*${nameWord}){0,4}`;
const unit = String.raw`(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|#)\.?[ \t]*[\w-]+)?`;
const englishSuffix = String.raw`(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Place|Pl|Terrace|Way|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Gardens|Grove|Row|Mews|Marg|Nagar)`;

const patterns: readonly RegExp[] = [
  // 221B Baker Street · 1600 Pennsylvania Avenue NW, Suite 200 · 12, MG Road
  new RegExp(String.raw`(?<![\p{L}\d])\d{1,5}[A-Za-z]?,?[ \t]+(?:${nameWord}[ \t]+){1,4}${englishSuffix}\.?(?:[ \t]+(?:NW|NE|SW|SE|N|S|E|W))?(?![\p{L}])${unit}`, 'gu'),
  // Hauptstraße 5 · Berliner Str. 12a · Am Lindenweg 3 · Karl-Marx-Straße 7. A hyphenated
  // name is one word here, matched from its first part only, and the word before it is
  // separated by a space: with a hyphen in both, "Ab-Ab-Ab-…" had cubic ways to split (8 KB: 20 s).
  new RegExp(
    String.raw`(?<![\p{L}'’.-])(?:${germanWord}[ \t])?\p{Lu}[\p{L}-]*(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad|markt)[ \t]+\d{1,4}[ \t]?[a-zA-Z]?(?![\p{L}\d])`,
    'gu',
  ),
  /(?<![\p{L}-])\p{Lu}[\p{L}-]*[ \t](?:Straße|Strasse|Str\.|Weg|Gasse|Allee|Platz|Ring|Damm)[ \t]+\d{1,4}[ \t]?[a-zA-Z]?(?![\p{L}\d])/gu,
  // 12 rue de la Paix · 5 bis, avenue Victor Hugo
  new RegExp(
    String.raw`(?<![\p{L}\d])\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+${caseless('(?:rue|avenue|av\\.|boulevard|bd|place|allée|impasse|chemin|quai|route|cours|square)')}[ \t]+${streetName}`,
    'gu',
  ),
  // Calle Mayor 10, 3º B · Avenida de la Constitución, 25 · Via Roma 15 · C/ Alcalá 45
  new RegExp(
    String.raw`(?<![\p{L}])(?:Calle|C\/|Avenida|Avda\.|Av\.|Paseo|Plaza|Pza\.|Camino|Carrer|Ronda|Travesía|Via|Viale|Piazza|Corso|Vicolo)[ \t]*${streetName},?[ \t]+(?:n[º°.]?[ \t]*)?\d{1,4}(?:,?[ \t]*\d{1,2}[º°ª]?[ \t]?[A-Za-z]?(?![\p{L}\d]))?`,
    'gu',
  ),
];

/** Street addresses (street and house number, with a flat or suite) in English, German, French, Spanish and Italian forms. */
export function detectAddressesByRules(text: string): Detection[] {
  const found: Detection[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const value = match[0].replace(/[ \t,]+$/, '');
      found.push({ type: 'ADDRESS', start: match.index, end: match.index + value.length });
    }
  }
  return found;
}
