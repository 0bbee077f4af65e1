/**
 * Check digits of the national ids in national-id-eu.ts. Each takes the compact form (no
 * spaces, dots or dashes) and is the authority's published rule, so a random number of the
 * right length passes 1 time in 10 to 1 in 97, and a typo almost never does.
 */

/**
 * German Steuer-IdNr: 11 digits, the first not 0, ISO 7064 MOD 11,10 check digit, and in the
 * first ten digits exactly one digit repeated (twice, or three times but not all in a row).
 */
export function steuerIdValid(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  const counts = new Array<number>(10).fill(0);
  for (let index = 0; index < 10; index++) counts[digits.charCodeAt(index) - 48]!++;
  const repeated = counts.filter((count) => count > 1);
  if (repeated.length !== 1 || repeated[0]! > 3) return false;
  if (/(\d)\1\1/.test(digits.slice(0, 10))) return false;
  let product = 10;
  for (let index = 0; index < 10; index++) {
    let sum = (digits.charCodeAt(index) - 48 + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = (11 - product) % 10;
  return check === digits.charCodeAt(10) - 48;
}

/** Dutch BSN: 9 digits passing the "elfproef" (9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11), not all zeros. */
export function bsnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || /^0+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < 8; index++) sum += (digits.charCodeAt(index) - 48) * (9 - index);
  sum -= digits.charCodeAt(8) - 48;
  return sum % 11 === 0;
}

/**
 * French NIR (numéro de sécurité sociale): sex, year, month, département (2A/2B for
 * Corsica), commune, order, then a two-digit key = 97 − (the first 13 as a number mod 97).
 */
export function nirValid(compact: string): boolean {
  const match = /^([1-478])(\d{2})(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2[AB])(\d{3})(\d{3})(\d{2})$/.exec(compact);
  if (!match) return false;
  const body = compact.slice(0, 13).replace('2A', '19').replace('2B', '18');
  // 13 digits exceed no double's exact range (2^53 ≈ 9·10^15).
  return 97 - (Number(body) % 97) === Number(match[7]);
}

const oddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/** Italian codice fiscale: 16 characters, the last a check letter over odd and even positions. */
export function codiceFiscaleValid(upper: string): boolean {
  if (!/^[A-Z]{6}[\dLMNPQRSTUV]{2}[ABCDEHLMPRST][\dLMNPQRSTUV]{2}[A-Z][\dLMNPQRSTUV]{3}[A-Z]$/.test(upper)) return false;
  let sum = 0;
  for (let index = 0; index < 15; index++) {
    const code = upper.charCodeAt(index);
    const position = code >= 65 ? code - 65 : code - 48;
    // Positions 1, 3, 5… (0-based even) use the "odd" table, the others their plain value.
    sum += index % 2 === 0 ? oddValues[position]! : position;
  }
  return String.fromCharCode(65 + (sum % 26)) === upper[15];
}

/** Brazilian CPF: 11 digits, two mod-11 check digits, not one digit repeated. */
export function cpfValid(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  const check = (length: number) => {
    let sum = 0;
    for (let index = 0; index < length; index++) sum += (digits.charCodeAt(index) - 48) * (length + 1 - index);
    return ((sum * 10) % 11) % 10;
  };
  return check(9) === digits.charCodeAt(9) - 48 && check(10) === digits.charCodeAt(10) - 48;
}

/** Whether year-month-day is a calendar date (month 1-12, day within the month). */
function calendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Polish PESEL: 11 digits, a birth date (YYMMDD, the month +20 for 2000-2099, +40, +60, +80 for
 * 2100s, 2200s and 1800s) and a check digit with weights 1 3 7 9 1 3 7 9 1 3.
 */
export function peselValid(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const code = Number(digits.slice(2, 4));
  const century = [1900, 2000, 2100, 2200, 1800][Math.floor(code / 20)]!;
  if (!calendarDate(century + Number(digits.slice(0, 2)), code % 20, Number(digits.slice(4, 6)))) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let sum = 0;
  for (let index = 0; index < 10; index++) sum += weights[index]! * (digits.charCodeAt(index) - 48);
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(10) - 48;
}

/**
 * Swedish personnummer (or samordningsnummer, the day +60): YYMMDDNNNC or YYYYMMDDNNNC, a
 * birth date and a Luhn check digit over the last ten digits.
 */
export function personnummerValid(digits: string): boolean {
  if (!/^(?:\d{10}|\d{12})$/.test(digits)) return false;
  const ten = digits.slice(-10);
  const year = digits.length === 12 ? Number(digits.slice(0, 4)) : 2000 + Number(ten.slice(0, 2));
  const day = Number(ten.slice(4, 6));
  if (!calendarDate(year, Number(ten.slice(2, 4)), day > 60 ? day - 60 : day)) return false;
  let sum = 0;
  for (let index = 0; index < 10; index++) {
    let value = (ten.charCodeAt(index) - 48) * (index % 2 === 0 ? 2 : 1);
    if (value > 9) value -= 9;
    sum += value;
  }
  return sum % 10 === 0;
}
