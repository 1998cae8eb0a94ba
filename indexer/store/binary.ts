/**
 * A small container for typed arrays plus a JSON header, so that an index part loads with one read and
 * no parsing of numbers. Layout: u32 header length, UTF-8 JSON header, padding to 8 bytes, array bytes.
 */
type Typed = Float32Array | Int32Array | Float64Array;
const KINDS = { Float32Array, Int32Array, Float64Array } as const;
type Kind = keyof typeof KINDS;

type Header<M> = { meta: M; arrays: { name: string; kind: Kind; offset: number; length: number }[] };

/** Packs named typed arrays and a JSON-serialisable meta object into one buffer. */
export function packArrays<M>(meta: M, arrays: Record<string, Typed>): Buffer {
  let offset = 0;
  const entries = Object.entries(arrays).map(([name, a]) => {
    const kind = a.constructor.name as Kind;
    const e = { name, kind, offset, length: a.length };
    offset += Math.ceil(a.byteLength / 8) * 8;
    return e;
  });
  const header = Buffer.from(JSON.stringify({ meta, arrays: entries } satisfies Header<M>), "utf8");
  const start = Math.ceil((4 + header.length) / 8) * 8;
  const out = Buffer.alloc(start + offset);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  for (const e of entries) {
    const a = arrays[e.name] as Typed;
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, start + e.offset);
  }
  return out;
}

/** Reverses packArrays; arrays are copied into fresh, aligned buffers. */
export function unpackArrays<M>(buf: Buffer): { meta: M; arrays: Record<string, Typed> } {
  const len = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + len).toString("utf8")) as Header<M>;
  const start = Math.ceil((4 + len) / 8) * 8;
  const arrays: Record<string, Typed> = {};
  for (const e of header.arrays) {
    const Ctor = KINDS[e.kind];
    const bytes = e.length * Ctor.BYTES_PER_ELEMENT;
    const copy = new Uint8Array(bytes);
    copy.set(buf.subarray(start + e.offset, start + e.offset + bytes));
    arrays[e.name] = new Ctor(copy.buffer);
  }
  return { meta: header.meta, arrays };
}
