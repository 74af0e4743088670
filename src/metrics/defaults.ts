// lm-eval's metric registry defaults (spec §8): aggregation and direction when a task's
// metric_list omits them.
const DEFAULTS: Record<string, { aggregation: string; higherIsBetter: boolean }> = {
  acc: { aggregation: 'mean', higherIsBetter: true },
  acc_norm: { aggregation: 'mean', higherIsBetter: true },
  acc_bytes: { aggregation: 'mean', higherIsBetter: true },
  exact_match: { aggregation: 'mean', higherIsBetter: true },
  perplexity: { aggregation: 'perplexity', higherIsBetter: false },
  mcc: { aggregation: 'matthews_corrcoef', higherIsBetter: true },
  f1: { aggregation: 'f1', higherIsBetter: true },
  word_perplexity: { aggregation: 'weighted_perplexity', higherIsBetter: false },
  byte_perplexity: { aggregation: 'weighted_perplexity', higherIsBetter: false },
  bits_per_byte: { aggregation: 'bits_per_byte', higherIsBetter: false },
};

export function defaultMetricSettings(metric: string): { aggregation: string; higherIsBetter: boolean } {
  return DEFAULTS[metric] ?? { aggregation: 'mean', higherIsBetter: true };
}
