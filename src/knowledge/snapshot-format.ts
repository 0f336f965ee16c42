import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import * as zlib from 'node:zlib';
import type { SearchIndexSnapshot, SnapshotArray } from '../search/engine.js';
import type { Concept, Topic } from './schema.js';

/**
 * The file a knowledge snapshot is kept in: a fixed preamble, a JSON header, then three sections.
 *
 *   "BKFSNAP1" · header length (uint32 LE) · 4 bytes zero · header (JSON, UTF-8) · sections
 *
 * The header holds the key the snapshot was taken under and, per section, where it is, how long
 * and its checksum. Sections: `kb` (the topics and cards, JSON), `meta` (the search index's plain
 * data, JSON; both written in ASCII, which a start decodes twice as fast as UTF-8) and `arrays`
 * (its typed arrays, back to back in this machine's byte order, each at a multiple of 8 bytes from
 * the section's start, so they are read into one buffer and used as views of it without copying).
 * A reader that only needs the cards reads the header and `kb`.
 */
const MAGIC = 'BKFSNAP1';
const PREAMBLE = 16;
/** Bumped whenever the layout changes: a snapshot of another format is never read. */
export const SNAPSHOT_FORMAT = 1;
const MAX_HEADER = 64 * 1024 * 1024;

const ARRAY_TYPES = { Int32Array, Uint16Array, Uint8Array, Float32Array } as const;
type ArrayType = keyof typeof ARRAY_TYPES;

interface Section {
  offset: number;
  length: number;
  check: string;
}

interface Header {
  format: number;
  key: string;
  endian: string;
  concepts: number;
  sections: { kb: Section; meta: Section; arrays: Section };
  arrays: Array<{ name: string; type: ArrayType; offset: number; length: number }>;
}

/** What a snapshot holds: the cards and topics as validated, and the search index built from them. */
export interface SnapshotContent {
  topics: Topic[];
  concepts: Concept[];
  index: SearchIndexSnapshot;
}

/** A snapshot file that cannot be used: truncated, damaged, of another format or key. */
export class SnapshotUnreadable extends Error {
  override name = 'SnapshotUnreadable';
}

/** crc32 where Node has it (20.15 and later), else SHA-1: enough to see a damaged or cut file. */
function checksum(data: Uint8Array): string {
  if (typeof zlib.crc32 === 'function') return `crc32:${zlib.crc32(data).toString(16)}`;
  return `sha1:${createHash('sha1').update(data).digest('hex')}`;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Writes the snapshot to `path` through a temporary file and a rename, so no reader sees half of it. */
export function writeSnapshotFile(path: string, key: string, content: SnapshotContent): number {
  const kb = asciiJson({ topics: content.topics, concepts: content.concepts });
  const meta = asciiJson(content.index.meta);
  const arrays: Header['arrays'] = [];
  const views: Buffer[] = [];
  let arraysLength = 0;
  for (const [name, array] of Object.entries(content.index.arrays)) {
    const type = array.constructor.name as ArrayType;
    if (!(type in ARRAY_TYPES)) throw new Error(`snapshot: ${name} is a ${type}`);
    const offset = align8(arraysLength);
    if (offset > arraysLength) views.push(Buffer.alloc(offset - arraysLength));
    arrays.push({ name, type, offset, length: array.length });
    views.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    arraysLength = offset + array.byteLength;
  }
  const arraysBody = Buffer.concat(views, arraysLength);
  // The header's own length decides where the sections start; section offsets are written with
  // a fixed width so that the length does not change once they are known.
  const header = (base: number): Header => {
    const kbAt = base;
    const metaAt = kbAt + kb.length;
    const arraysAt = align8(metaAt + meta.length);
    return {
      format: SNAPSHOT_FORMAT,
      key,
      endian: endianness(),
      concepts: content.concepts.length,
      sections: {
        kb: { offset: kbAt, length: kb.length, check: checksum(kb) },
        meta: { offset: metaAt, length: meta.length, check: checksum(meta) },
        arrays: { offset: arraysAt, length: arraysBody.length, check: checksum(arraysBody) },
      },
      arrays,
    };
  };
  let base = PREAMBLE;
  let headerBytes = Buffer.alloc(0);
  for (let i = 0; i < 5; i++) {
    headerBytes = Buffer.from(JSON.stringify(header(base)));
    const next = align8(PREAMBLE + headerBytes.length);
    if (next === base) break;
    base = next;
  }
  const final = header(base);
  headerBytes = Buffer.from(JSON.stringify(final));
  if (align8(PREAMBLE + headerBytes.length) !== base) throw new Error('snapshot: the header did not settle');
  const preamble = Buffer.alloc(PREAMBLE);
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(headerBytes.length, 8);
  const parts: Array<[number, Buffer]> = [
    [0, preamble],
    [PREAMBLE, headerBytes],
    [final.sections.kb.offset, kb],
    [final.sections.meta.offset, meta],
    [final.sections.arrays.offset, arraysBody],
  ];
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    for (const [at, data] of parts) {
      for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done, at + done);
    }
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
  return final.sections.arrays.offset + arraysBody.length;
}

/** JSON with every character beyond ASCII written as a \\u escape. */
function asciiJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), 'latin1');
}

/**
 * Reads a snapshot taken under `key`: the cards and topics, and with `index` the search index's
 * data too. Throws SnapshotUnreadable when the file is not a complete, intact snapshot of this
 * format under that key.
 */
export function readSnapshotFile(path: string, key: string, options: { index: true }): SnapshotContent;
export function readSnapshotFile(path: string, key: string, options: { index: false }): Omit<SnapshotContent, 'index'>;
export function readSnapshotFile(path: string, key: string, options: { index: boolean }): SnapshotContent | Omit<SnapshotContent, 'index'> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (offset: number, length: number, into?: Uint8Array): Uint8Array => {
      if (offset < 0 || length < 0 || offset + length > size) throw new SnapshotUnreadable(`cut short: ${offset + length} bytes needed, the file has ${size}`);
      const buffer = into ?? Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buffer, done, length - done, offset + done);
        if (n === 0) throw new SnapshotUnreadable('cut short while reading');
        done += n;
      }
      return buffer;
    };
    const preamble = Buffer.from(read(0, PREAMBLE));
    if (preamble.toString('latin1', 0, 8) !== MAGIC) throw new SnapshotUnreadable('not a snapshot (wrong magic bytes)');
    const headerLength = preamble.readUInt32LE(8);
    if (headerLength > MAX_HEADER) throw new SnapshotUnreadable(`header of ${headerLength} bytes`);
    let header: Header;
    try {
      header = JSON.parse(Buffer.from(read(PREAMBLE, headerLength)).toString('utf8')) as Header;
    } catch (err) {
      if (err instanceof SnapshotUnreadable) throw err;
      throw new SnapshotUnreadable(`damaged header (${(err as Error).message})`);
    }
    if (header.format !== SNAPSHOT_FORMAT) throw new SnapshotUnreadable(`format ${header.format}, expected ${SNAPSHOT_FORMAT}`);
    if (header.key !== key) throw new SnapshotUnreadable('taken under another key');
    if (header.endian !== endianness()) throw new SnapshotUnreadable(`written on a ${header.endian} machine`);
    const section = (name: keyof Header['sections'], into?: Uint8Array): Uint8Array => {
      const s = header.sections?.[name];
      if (!s || !Number.isSafeInteger(s.offset) || !Number.isSafeInteger(s.length)) throw new SnapshotUnreadable(`no ${name} section`);
      const data = read(s.offset, s.length, into);
      if (checksum(data) !== s.check) throw new SnapshotUnreadable(`the ${name} section is damaged (checksum)`);
      return data;
    };
    const json = <T>(name: 'kb' | 'meta'): T => {
      const data = section(name);
      try {
        const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        return JSON.parse(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')) as T;
      } catch (err) {
        throw new SnapshotUnreadable(`the ${name} section is not JSON (${(err as Error).message})`);
      }
    };
    const kb = json<{ topics: Topic[]; concepts: Concept[] }>('kb');
    if (!Array.isArray(kb.topics) || !Array.isArray(kb.concepts) || kb.concepts.length !== header.concepts) throw new SnapshotUnreadable('the kb section does not hold the cards the header counts');
    if (!options.index) return kb;
    const meta = json<SearchIndexSnapshot['meta']>('meta');
    // One buffer of its own for the arrays, so that they do not keep the JSON sections alive.
    const arraysSection = header.sections.arrays;
    const body = new Uint8Array(new ArrayBuffer(Math.max(0, arraysSection?.length ?? 0)));
    section('arrays', body);
    const arrays: Record<string, SnapshotArray> = {};
    for (const a of header.arrays ?? []) {
      const Type = ARRAY_TYPES[a.type];
      if (!Type) throw new SnapshotUnreadable(`array ${a.name} of unknown type ${a.type}`);
      const bytes = a.length * Type.BYTES_PER_ELEMENT;
      if (!Number.isSafeInteger(a.offset) || a.offset % 8 !== 0 || a.offset + bytes > body.byteLength) throw new SnapshotUnreadable(`array ${a.name} lies outside its section`);
      arrays[a.name] = new Type(body.buffer, a.offset, a.length);
    }
    return { ...kb, index: { meta, arrays } };
  } finally {
    closeSync(fd);
  }
}
