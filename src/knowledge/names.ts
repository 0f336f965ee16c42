/** The form in which two names are compared: case, spaces and punctuation ignored. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** Words of a text, lowercase, for comparing phrases word by word. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether the phrase's words appear, in order and adjacent, in the text. */
export function containsPhrase(text: string, phrase: string): boolean {
  const hay = ` ${words(text).join(' ')} `;
  const needle = words(phrase).join(' ');
  return needle.length > 0 && hay.includes(` ${needle} `);
}
