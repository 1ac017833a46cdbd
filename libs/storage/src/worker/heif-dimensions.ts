/**
 * The image size a HEIF/HEIC file declares, read from its boxes (ISO/IEC 14496-12 box structure,
 * ISO/IEC 23008-12 item properties) without decoding anything: the primary item (`pitm`), its
 * properties (`iprp` → `ipma` associations into `ipco`), and among them `ispe` (full box:
 * version/flags, then width and height as 32-bit big-endian). A grid photo (iPhone) has one `ispe`
 * per tile and one for the whole picture, which is the primary item's.
 */
export interface DeclaredSize {
  width: number;
  height: number;
}

interface Box {
  type: string;
  /** First byte after the header. */
  body: number;
  end: number;
}

/** The boxes laid end to end in [start, end); stops at the first header that does not fit. */
function boxesIn(bytes: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      const large = bytes.readBigUInt64BE(at + 8);
      if (large > BigInt(end - at)) break;
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      size = end - at; // extends to the end of its container
    }
    if (size < header || at + size > end) break;
    boxes.push({ type, body: at + header, end: at + size });
    at += size;
  }
  return boxes;
}

const child = (bytes: Buffer, parent: Box | undefined, type: string, skip = 0): Box | undefined =>
  parent && boxesIn(bytes, parent.body + skip, parent.end).find((box) => box.type === type);

const bodyOf = (box: Box | undefined): [number, number] => (box ? [box.body, box.end] : [0, 0]);

/** Index (1-based, into `ipco`) of each property associated with `itemId` in an `ipma` box. */
function propertiesOf(bytes: Buffer, ipma: Box, itemId: number): number[] {
  const version = bytes.readUInt8(ipma.body);
  const wideIndex = (bytes.readUInt32BE(ipma.body) & 1) === 1;
  let at = ipma.body + 4;
  const entries = bytes.readUInt32BE(at);
  at += 4;
  for (let entry = 0; entry < entries && at < ipma.end; entry++) {
    const id = version < 1 ? bytes.readUInt16BE(at) : bytes.readUInt32BE(at);
    at += version < 1 ? 2 : 4;
    const count = bytes.readUInt8(at++);
    const indices: number[] = [];
    for (let i = 0; i < count && at < ipma.end; i++) {
      indices.push(wideIndex ? bytes.readUInt16BE(at) & 0x7fff : bytes.readUInt8(at) & 0x7f);
      at += wideIndex ? 2 : 1;
    }
    if (id === itemId) return indices;
  }
  return [];
}

function sizeIn(bytes: Buffer, ispe: Box): DeclaredSize | null {
  if (ispe.type !== 'ispe' || ispe.body + 12 > ispe.end) return null;
  return { width: bytes.readUInt32BE(ispe.body + 4), height: bytes.readUInt32BE(ispe.body + 8) };
}

/**
 * The primary image's declared size; when the file does not say which item is primary, the largest
 * size it declares. Null when it declares none (not a well-formed HEIF). Malformed boxes end the walk.
 */
export function heifDeclaredSize(bytes: Buffer): DeclaredSize | null {
  try {
    const meta = boxesIn(bytes, 0, bytes.length).find((box) => box.type === 'meta');
    // meta is a full box: 4 bytes of version and flags before its children.
    const iprp = child(bytes, meta, 'iprp', 4);
    const properties = boxesIn(bytes, ...bodyOf(child(bytes, iprp, 'ipco')));
    const pitm = child(bytes, meta, 'pitm', 4);
    const ipma = child(bytes, iprp, 'ipma');
    if (pitm && ipma) {
      const primary =
        bytes.readUInt8(pitm.body) < 1
          ? bytes.readUInt16BE(pitm.body + 4)
          : bytes.readUInt32BE(pitm.body + 4);
      for (const index of propertiesOf(bytes, ipma, primary)) {
        const size = properties[index - 1] && sizeIn(bytes, properties[index - 1]);
        if (size) return size;
      }
    }
    let largest: DeclaredSize | null = null;
    for (const box of properties) {
      const size = sizeIn(bytes, box);
      if (size && (!largest || size.width * size.height > largest.width * largest.height)) largest = size;
    }
    return largest;
  } catch (error) {
    if (error instanceof RangeError) return null; // a count or offset pointing past the end
    throw error;
  }
}
