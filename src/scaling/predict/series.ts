/**
 * A target's load on a fixed time grid (one point per `stepMs`), bounded to `capacity`
 * points. Observations inside one step are averaged; a short gap repeats the last value
 * so lags stay aligned with wall-clock time. A gap longer than the whole window starts over,
 * because nothing in the old window would still describe the present.
 */
export class LoadSeries {
  private data: number[] = [];
  private start = 0;
  /** Grid index of the first kept point (index = floor(t / stepMs)). */
  private firstIndex = 0;
  private bucketSum = 0;
  private bucketCount = 0;

  constructor(
    readonly stepMs: number,
    readonly capacity: number,
  ) {}

  get length(): number {
    return this.data.length - this.start;
  }

  /** Grid index of the newest point, or undefined when empty. */
  get lastIndex(): number | undefined {
    return this.length === 0 ? undefined : this.firstIndex + this.length - 1;
  }

  /** Time (ms) of point `i` (0 = oldest kept). */
  timeAt(i: number): number {
    return (this.firstIndex + i) * this.stepMs;
  }

  at(i: number): number {
    return this.data[this.start + i] as number;
  }

  /** The kept points, oldest first (a copy). */
  values(): number[] {
    return this.data.slice(this.start);
  }

  /** Adds one observation; returns how many grid points were appended (0 when it only updated the newest). */
  push(t: number, value: number): number {
    const index = Math.floor(t / this.stepMs);
    const last = this.lastIndex;
    if (last === undefined || index - last > this.capacity) {
      this.reset(index, value);
      return 1;
    }
    if (index < last) return 0; // late observation: the grid point is already closed
    if (index === last) {
      this.bucketSum += value;
      this.bucketCount += 1;
      this.data[this.data.length - 1] = this.bucketSum / this.bucketCount;
      return 0;
    }
    const fill = this.data[this.data.length - 1] as number;
    for (let k = last + 1; k < index; k++) this.data.push(fill);
    this.data.push(value);
    this.bucketSum = value;
    this.bucketCount = 1;
    this.trim();
    return index - last;
  }

  private reset(index: number, value: number): void {
    this.data = [value];
    this.start = 0;
    this.firstIndex = index;
    this.bucketSum = value;
    this.bucketCount = 1;
  }

  /** Drops the oldest points past capacity; compacts now and then so trimming stays O(1) amortised. */
  private trim(): void {
    const excess = this.length - this.capacity;
    if (excess > 0) {
      this.start += excess;
      this.firstIndex += excess;
    }
    if (this.start > this.capacity) {
      this.data = this.data.slice(this.start);
      this.start = 0;
    }
  }
}
