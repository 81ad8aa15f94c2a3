// Robust statistics for the outlier rules: median and the median absolute deviation (MAD), which a few extreme
// values cannot drag along the way a mean and a standard deviation are.

/** The median of numbers (sorted or not). NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface RobustScale {
  median: number;
  mad: number;
  /** 1.4826·MAD (the standard deviation for normal data); when MAD is 0, 1.2533·mean absolute deviation; 0 when both are 0. */
  scale: number;
}

export function robustScale(values: readonly number[]): RobustScale {
  const m = median(values);
  const dev = values.map((v) => Math.abs(v - m));
  const mad = median(dev);
  let scale = 1.4826 * mad;
  if (scale === 0) {
    // Over half the values are equal: the MAD is 0 and every other value would be infinitely far. Fall back to the
    // mean absolute deviation (scaled the same way for normal data), as IBM SPSS and others do.
    const meanAd = dev.reduce((a, b) => a + b, 0) / (dev.length || 1);
    scale = 1.2533 * meanAd;
  }
  return { median: m, mad, scale };
}

/** |x − median| / scale; 0 when the scale is 0 (all values equal). */
export function robustScore(x: number, s: RobustScale): number {
  return s.scale === 0 ? 0 : Math.abs(x - s.median) / s.scale;
}
