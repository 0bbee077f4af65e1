import { open, readFile, rename, writeFile } from 'node:fs/promises';

/**
 * The append-only log of a scope's vectors, from which its HNSW index is rebuilt when the
 * index file is missing or unreadable. Little-endian records:
 *   add:    u8 1, u32 label, f32 × dimension
 *   remove: u8 2, u32 label
 * A record cut short by a crash is ignored (and dropped at the next compaction).
 */
export interface LogContents {
  live: Map<number, Float32Array>;
  records: number;
}

const addOp = 1;
const removeOp = 2;

export class VectorLog {
  private pending: Buffer[] = [];
  private pendingRecords = 0;
  /** Records in the file plus those waiting to be appended. */
  records = 0;
  /** Set after a rebuild: the file is rewritten from the graph at the next flush. */
  compactionDue = false;

  constructor(
    readonly path: string,
    private readonly dimension: number,
  ) {}

  static async read(path: string, dimension: number): Promise<LogContents> {
    const live = new Map<number, Float32Array>();
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      return { live, records: 0 };
    }
    const addSize = 5 + 4 * dimension;
    let offset = 0;
    let records = 0;
    while (offset + 5 <= bytes.length) {
      const op = bytes.readUInt8(offset);
      const label = bytes.readUInt32LE(offset + 1);
      if (op === addOp) {
        if (offset + addSize > bytes.length) break;
        const vector = new Float32Array(dimension);
        for (let i = 0; i < dimension; i++) vector[i] = bytes.readFloatLE(offset + 5 + 4 * i);
        live.set(label, vector);
        offset += addSize;
      } else if (op === removeOp) {
        live.delete(label);
        offset += 5;
      } else break;
      records++;
    }
    return { live, records };
  }

  add(label: number, vector: Float32Array): void {
    const record = Buffer.allocUnsafe(5 + 4 * this.dimension);
    record.writeUInt8(addOp, 0);
    record.writeUInt32LE(label, 1);
    for (let i = 0; i < this.dimension; i++) record.writeFloatLE(vector[i]!, 5 + 4 * i);
    this.push(record);
  }

  remove(label: number): void {
    const record = Buffer.allocUnsafe(5);
    record.writeUInt8(removeOp, 0);
    record.writeUInt32LE(label, 1);
    this.push(record);
  }

  get dirty(): boolean {
    return this.pendingRecords > 0 || this.compactionDue;
  }

  /** Appends what is pending. */
  async append(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingRecords = 0;
    const handle = await open(this.path, 'a');
    try {
      await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Replaces the file by one add record per live vector (drops removed ones and a torn tail). */
  async compact(live: Iterable<[number, Float32Array]>): Promise<void> {
    this.pending = [];
    this.pendingRecords = 0;
    this.records = 0;
    this.compactionDue = false;
    for (const [label, vector] of live) this.add(label, vector);
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingRecords = 0;
    await writeFile(`${this.path}.tmp`, chunk);
    await rename(`${this.path}.tmp`, this.path);
  }

  private push(record: Buffer): void {
    this.pending.push(record);
    this.pendingRecords++;
    this.records++;
  }
}
