// Parameter counts of a Llama-family config.json for the bench's useful-FLOPs figures.

/** Weights outside the embedding / LM head: attention, MLP and norms of every layer, and the final norm. */
export function nonEmbeddingParameters(c: Record<string, number>): number {
  const H = c.hidden_size!;
  const heads = c.num_attention_heads!;
  const kv = c.num_key_value_heads ?? heads;
  const hd = c.head_dim ?? H / heads;
  const I = c.intermediate_size!;
  const perLayer = H * heads * hd * 2 + H * kv * hd * 2 + 3 * H * I + 2 * H;
  return c.num_hidden_layers! * perLayer + H;
}
