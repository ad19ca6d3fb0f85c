const BARS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

export interface SparklineOptions {
  /** The value drawn as the lowest bar; default the smallest value (0 when all are >= 0). */
  min?: number;
  /** The value drawn as a full bar; default the largest value. */
  max?: number;
  /** At most this many characters: neighbouring buckets are averaged to fit. Default 60. */
  width?: number;
}

/** `▁▂▅█▇` from a series; `null` (no data) is a space. */
export function sparkline(
  values: readonly (number | null)[],
  options: SparklineOptions = {},
): string {
  const series = fitSeries(values, options.width ?? 60);
  const present = series.filter((value): value is number => value !== null);
  if (present.length === 0) return " ".repeat(series.length);
  const min = options.min ?? Math.min(0, ...present);
  const max = options.max ?? Math.max(...present);
  return series
    .map((value) => {
      if (value === null) return " ";
      if (max <= min) return value > 0 ? BARS[BARS.length - 1] : BARS[0];
      const share = (Math.min(max, Math.max(min, value)) - min) / (max - min);
      return BARS[Math.round(share * (BARS.length - 1))];
    })
    .join("");
}

/** Averages neighbouring values so the series is at most `width` long. */
export function fitSeries(values: readonly (number | null)[], width: number): (number | null)[] {
  if (values.length <= width) return [...values];
  const group = Math.ceil(values.length / width);
  const fitted: (number | null)[] = [];
  for (let start = 0; start < values.length; start += group) {
    const slice = values
      .slice(start, start + group)
      .filter((value): value is number => value !== null);
    fitted.push(slice.length === 0 ? null : slice.reduce((a, b) => a + b, 0) / slice.length);
  }
  return fitted;
}

/** Picks one item per character when a series of labels must fit `width` (the worst of each group). */
export function fitLabels<T>(values: readonly T[], width: number, rank: (value: T) => number): T[] {
  if (values.length <= width) return [...values];
  const group = Math.ceil(values.length / width);
  const fitted: T[] = [];
  for (let start = 0; start < values.length; start += group) {
    const slice = values.slice(start, start + group);
    let worst = slice[0] as T;
    for (const value of slice) if (rank(value) > rank(worst)) worst = value;
    fitted.push(worst);
  }
  return fitted;
}
