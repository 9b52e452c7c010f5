// Workbooks' ZIP shapes no library writes, for the tests of untrusted uploads (methodologies and scores).
/**
 * A ZIP written by hand (stored or deflated parts): the shapes a workbook library would never write.
 * A third item declares that size instead of the real one (a lying directory).
 */
export async function zip(entries: ([string, string] | [string, string, number])[]): Promise<Uint8Array<ArrayBuffer>> {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [], central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, text, declared] of entries) {
    const raw = enc.encode(text);
    const data = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    const n = enc.encode(name);
    const header = (central: boolean) => {
      const h = new DataView(new ArrayBuffer(central ? 46 : 30));
      h.setUint32(0, central ? 0x02014b50 : 0x04034b50, true);
      const at = central ? 2 : 0; // the central header has "version made by" first
      h.setUint16(8 + at, 8, true); // deflate
      h.setUint32(18 + at, data.length, true);
      h.setUint32(22 + at, declared ?? raw.length, true);
      h.setUint16(26 + at, n.length, true);
      if (central) h.setUint32(42, offset, true);
      return new Uint8Array(h.buffer);
    };
    locals.push(header(false), n, data);
    central.push(header(true), n);
    offset += 30 + n.length + data.length;
  }
  const dirSize = central.reduce((s, p) => s + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, dirSize, true);
  end.setUint32(16, offset, true);
  const parts = [...locals, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
