/**
 * Numbers the words written in texts, as splitWords reads them on plain ASCII (runs of letters and
 * digits), without cutting each one out. At 30,000 cards the build reads millions of words, nearly all
 * seen before: a string per word, then a Map lookup hashing it again, was most of the build. Here a
 * text is read as bytes, a word is hashed from them and compared with the known word's bytes; only a
 * new word becomes a string.
 */
export class WrittenWords {
  /** The words, by id, as written (case kept). */
  readonly words: string[] = [];
  /** The ids `read` found, valid up to the count it returns (and until the next read). */
  ids = new Int32Array(1 << 12);
  /** Open addressing: a word's id, or -1. Kept at most half full. */
  private slots = new Int32Array(1 << 12).fill(-1);
  /** Per id: its hash, and where its bytes start in `pool` (they end where the next word's start). */
  private hashes = new Int32Array(1 << 11);
  private starts = new Int32Array((1 << 11) + 1);
  private pool = new Uint8Array(1 << 16);
  private text = new Uint8Array(1 << 12);

  /** Reads the ids of `text`'s words into `ids`, in order, and returns how many there are. */
  read(text: string): number {
    if (this.text.length < text.length * 3) this.text = new Uint8Array(text.length * 3);
    const bytes = this.text;
    const length = encoder.encodeInto(text, bytes).written;
    if (this.ids.length < length / 2 + 1) this.ids = new Int32Array(length / 2 + 1);
    const ids = this.ids;
    let n = 0;
    let i = 0;
    while (i < length) {
      let c = bytes[i]!;
      if (!isWordByte(c)) {
        i++;
        continue;
      }
      const start = i;
      let hash = 0x811c9dc5;
      do {
        hash = Math.imul(hash ^ c, 0x01000193);
        c = bytes[++i]!;
      } while (i < length && isWordByte(c));
      ids[n++] = this.idOf(bytes, start, i, hash);
    }
    return n;
  }

  private idOf(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const id = this.slots[slot]!;
      if (id === -1) break;
      if (this.hashes[id] === hash && this.holds(id, bytes, start, end)) return id;
      slot = (slot + 1) & mask;
    }
    return this.add(bytes, start, end, hash, slot);
  }

  private holds(id: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[id]!;
    if (this.starts[id + 1]! - from !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (bytes[start + k] !== this.pool[from + k]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const id = this.words.length;
    const word = bytes.subarray(start, end);
    this.words.push(decoder.decode(word));
    if (id === this.hashes.length) {
      this.hashes = grown(this.hashes, id * 2);
      this.starts = grown(this.starts, id * 2 + 1);
    }
    this.hashes[id] = hash;
    const at = this.starts[id]!;
    if (this.pool.length < at + word.length) this.pool = grown(this.pool, (at + word.length) * 2);
    this.pool.set(word, at);
    this.starts[id + 1] = at + word.length;
    this.slots[slot] = id;
    if (this.words.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.words.length; id++) {
      let slot = this.hashes[id]! & mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & mask;
      this.slots[slot] = id;
    }
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function grown<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  const larger = new (array.constructor as new (length: number) => T)(length);
  larger.set(array);
  return larger;
}

function isWordByte(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}
