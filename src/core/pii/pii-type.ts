/**
 * The kinds of personal data Breakwater detects. Placeholders are built from these names
 * (`<EMAIL_1>`), so they stay upper-case letters only.
 */
export const piiTypes = [
  'EMAIL',
  'PHONE',
  'CARD',
  'IBAN',
  'SSN',
  'NINO',
  'AADHAAR',
  'DNI',
  'STEUERID',
  'BSN',
  'NIR',
  'CODICEFISCALE',
  'CPF',
  'PESEL',
  'PERSONNUMMER',
  'IP',
  'SECRET',
  'NAME',
  'ADDRESS',
] as const;

/**
 * - `SSN`: US Social Security number. `NINO`: UK National Insurance number. `AADHAAR`: Indian
 *   Aadhaar number (Verhoeff check digit). `DNI`: Spanish DNI / NIE (check letter).
 *   `STEUERID`: German Steuer-IdNr. `BSN`: Dutch burgerservicenummer. `NIR`: French social
 *   security number. `CODICEFISCALE`: Italian codice fiscale. `CPF`: Brazilian CPF. `PESEL`:
 *   Polish PESEL. `PERSONNUMMER`: Swedish personnummer. Each by its check digits (the last two
 *   also by their birth date, and only with their name written before them).
 * - `SECRET`: API keys in two dozen vendor formats, JWTs, PEM private keys, labelled passwords,
 *   connection-URL passwords and high-entropy values after a credential word.
 * - `NAME` and `ADDRESS` come from rules plus an NLP tagger, and are less precise than the rest.
 */
export type PiiType = (typeof piiTypes)[number];

/** Where one value was found. Deliberately carries no value, so a detection is safe to log. */
export interface Detection {
  type: PiiType;
  start: number;
  end: number;
}

/** Detections per type; types not found are absent. */
export type PiiCounts = Partial<Record<PiiType, number>>;

/** The types found by rules and checksums, as opposed to the NLP-assisted NAME and ADDRESS. */
export const structuredPiiTypes: readonly PiiType[] = piiTypes.filter((type) => type !== 'NAME' && type !== 'ADDRESS');
