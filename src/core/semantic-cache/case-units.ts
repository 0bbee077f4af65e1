/**
 * Unit symbols whose letter case is their meaning: M is mega and m milli, B a byte and b a bit.
 * Each spelling maps to the unit it conventionally writes; a spelling of the same letters in
 * another case (mb, MA, mbps) is a unit of its own, `~` and the letters as typed, so "100 mb"
 * never answers "100 MB" (issue 13: unit symbols that differ only in case were served as one).
 */
// No prototype: "constructor" typed in a prompt must not find Object's.
const conventional: Readonly<Record<string, string>> = Object.assign(
  Object.create(null),
  Object.fromEntries(
    [
      ['kB KB kilobyte kilobytes Ko', 'kB'],
      ['Kb kbit kilobit kilobits', 'kbit'],
      ['MB megabyte megabytes Mo MByte', 'MB'],
      ['Mb Mbit megabit megabits', 'Mbit'],
      ['GB gigabyte gigabytes Go GByte', 'GB'],
      ['Gb Gbit gigabit gigabits', 'Gbit'],
      ['TB terabyte terabytes To', 'TB'],
      ['Tb Tbit terabit terabits', 'Tbit'],
      ['KiB', 'KiB'],
      ['MiB', 'MiB'],
      ['GiB', 'GiB'],
      ['TiB', 'TiB'],
      ['kbps Kbps', 'kbit/s'],
      ['Mbps', 'Mbit/s'],
      ['MBps', 'MB/s'],
      ['Gbps', 'Gbit/s'],
      ['GBps', 'GB/s'],
      ['mW milliwatt milliwatts', 'mW'],
      ['MW megawatt megawatts', 'MW'],
      ['kW kilowatt kilowatts', 'kW'],
      ['mA milliamp milliamps milliampere milliamperes', 'mA'],
      ['mV millivolt millivolts', 'mV'],
      ['MV megavolt megavolts', 'MV'],
      ['kV kilovolt kilovolts', 'kV'],
      ['ms millisecond milliseconds millisekunde millisekunden milliseconde millisecondes', 'ms'],
      ['mg milligram milligrams milligramm milligramme milligrammes miligramo miligramos', 'mg'],
      ['MHz megahertz', 'MHz'],
      ['GHz gigahertz', 'GHz'],
      ['kHz kilohertz', 'kHz'],
    ].flatMap(([spellings, unit]) => spellings!.split(' ').map((spelling) => [spelling, unit!])),
  ),
);

/** The same letters in any case: a typed spelling outside `conventional` is still a unit ("to", "go", "mo" and "ko" in lowercase are words). */
const families = new Set(
  Object.keys(conventional)
    .filter((spelling) => spelling.length <= 5)
    .map((spelling) => spelling.toLowerCase())
    .filter((spelling) => !['to', 'go', 'mo', 'ko'].includes(spelling)),
);

/** Symbols that are words too ("Go to…", "To whom…", "Ms Smith", "ma" in Italian): a unit only after a number. */
const onlyAfterNumber = new Set(['ko', 'mo', 'go', 'to', 'ms', 'mg', 'ma', 'mw', 'mv', 'kw', 'kv']);

/** The unit a token writes, case kept; undefined when it is no case-sensitive unit symbol here. */
export function caseUnitOf(token: string, afterNumber: boolean): string | undefined {
  const lower = token.toLowerCase();
  if (!families.has(lower) && conventional[token] === undefined) return undefined;
  // Spelled-out units (megabytes) are never words of another meaning.
  if (token.length > 5) return conventional[token] ?? conventional[lower];
  if (!afterNumber && onlyAfterNumber.has(lower)) return undefined;
  return conventional[token] ?? `~${token}`;
}
