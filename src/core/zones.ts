import { closest, quoteUserText } from './text.js';

/** What a word means as a time zone. */
export type ZoneReading =
  /** A zone the runtime knows: its IANA name (abbreviations and links resolved), and what was typed. */
  | { zone: string; given: string }
  /** Looks like a zone (it has a slash, or an offset) but is none: the reason, with a "did you mean" (`suggestion`). */
  | { error: string; suggestion?: string }
  /** Not a zone, but a city or near miss of one: "berlin" is close to Europe/Berlin. */
  | { hint: string };

const cache = new Map<string, string | null>();

/** The runtime's canonical name of a zone, or null: `CET`, `PST` and `europe/berlin` all resolve. */
export function canonicalZone(value: string): string | null {
  // The default, known without asking the runtime (its first time-zone lookup costs a start ~15 ms).
  if (value === 'UTC') return value;
  let known = cache.get(value);
  if (known === undefined) {
    try {
      known = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      known = null;
    }
    cache.set(value, known);
  }
  return known;
}

export function isTimeZone(value: string): boolean {
  return canonicalZone(value) !== null;
}

let zones: { names: string[]; byCity: Map<string, string>; lower: Map<string, string> } | undefined;

/** The runtime's IANA zones, and each by its city ("berlin", "new york"). */
function zoneIndex() {
  if (!zones) {
    const names = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
    const byCity = new Map<string, string>();
    const lower = new Map<string, string>();
    for (const name of names) {
      lower.set(name.toLowerCase(), name);
      const city = cityKey(name.split('/').pop() ?? name);
      if (!byCity.has(city)) byCity.set(city, name);
    }
    zones = { names, byCity, lower };
  }
  return zones;
}

const cityKey = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/** Every zone name the runtime lists, for completion. */
export function zoneNames(): readonly string[] {
  return zoneIndex().names;
}

/** A zone as people read it: `Etc/GMT-2` (POSIX inverts the sign) is UTC+2; any other as it is. */
export function zoneLabel(zone: string): string {
  const m = /^Etc\/GMT([+-])(\d{1,2})$/.exec(zone);
  return m ? `UTC${m[1] === '+' ? '-' : '+'}${m[2]}` : zone;
}

/** `UTC+2`, `GMT-5`: the Etc zone of that fixed offset (whose sign POSIX inverts). */
function offsetZone(word: string): string | undefined {
  const m = /^(?:utc|gmt)([+-])(\d{1,2})$/i.exec(word);
  if (!m) return undefined;
  const hours = Number(m[2]);
  if (hours === 0) return 'UTC';
  const zone = `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`;
  return isTimeZone(zone) ? zone : undefined;
}

/**
 * Abbreviations people type, as the zone they mean. The runtime reads some of them as zones
 * nobody means ("EST" is Panama's fixed offset without daylight saving, "BST" is Bangladesh), and
 * others (EDT, CEST) not at all.
 */
const SPOKEN_ZONES: Record<string, string> = {
  est: 'America/New_York', edt: 'America/New_York',
  cst: 'America/Chicago', cdt: 'America/Chicago',
  mst: 'America/Denver', mdt: 'America/Denver',
  pst: 'America/Los_Angeles', pdt: 'America/Los_Angeles',
  bst: 'Europe/London', cet: 'Europe/Paris', cest: 'Europe/Paris', eet: 'Europe/Athens', eest: 'Europe/Athens',
  ist: 'Asia/Kolkata', jst: 'Asia/Tokyo', aest: 'Australia/Sydney', aedt: 'Australia/Sydney',
};

/**
 * Reads a word as a time zone: an IANA name in any case, an abbreviation or link the runtime knows
 * (CET, PST, GMT, US/Pacific), or UTC±h. A city alone ("berlin") is not taken, but suggested.
 */
export function readZone(word: string): ZoneReading | undefined {
  if (/^\d/.test(word)) return undefined;
  const offset = offsetZone(word);
  if (offset) return { zone: offset, given: word };
  const spoken = SPOKEN_ZONES[word.toLowerCase()];
  if (spoken) return { zone: spoken, given: word };
  const canonical = /^[a-z][\w+/-]*$/i.test(word) ? canonicalZone(word) : null;
  if (canonical) return { zone: currentName(word, canonical), given: word };
  const index = zoneIndex();
  if (word.includes('/') || /^(utc|gmt)[+-]/i.test(word)) {
    const near = closest(word.toLowerCase(), index.lower.keys());
    const city = index.byCity.get(cityKey(word.split('/').pop() ?? ''));
    const suggestion = near ? index.lower.get(near) : city;
    return { error: `“${quoteUserText(word, 40)}” is not a time zone I know${suggestion ? `: did you mean ${suggestion}?` : ': use an IANA name such as Europe/Berlin, America/New_York or UTC.'}`, ...(suggestion ? { suggestion } : {}) };
  }
  const city = index.byCity.get(cityKey(word));
  if (city) return { hint: city };
  if (word.length >= 5) {
    const near = closest(cityKey(word), index.byCity.keys());
    if (near) return { hint: index.byCity.get(near)! };
  }
  return undefined;
}

/**
 * The name to keep for a zone typed by a name the runtime knows under an older one of the same area
 * (its ICU data says Asia/Calcutta for Asia/Kolkata, Europe/Kiev for Europe/Kyiv): the name typed,
 * as the IANA database writes it now. Any other (US/Pacific, europe/berlin): the runtime's.
 */
function currentName(typed: string, canonical: string): string {
  const area = (zone: string) => zone.split('/')[0]!.toLowerCase();
  if (!typed.includes('/') || typed.toLowerCase() === canonical.toLowerCase() || area(typed) !== area(canonical)) return canonical;
  return /[A-Z]/.test(typed) ? typed : typed.replace(/[a-z]+/g, (w) => w[0]!.toUpperCase() + w.slice(1));
}

/** How a zone was chosen, for confirmations: `Europe/Brussels (CET)` when typed as an abbreviation. */
export function describeZone(zone: string, given?: string): string {
  return given && given.toLowerCase() !== zone.toLowerCase() ? `${zone} (${given})` : zone;
}
