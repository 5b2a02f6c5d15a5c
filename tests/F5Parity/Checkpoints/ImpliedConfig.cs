using System.Text.RegularExpressions;
using F5Parity.Model;
using static TorchSharp.torch;

namespace F5Parity.Checkpoints;

/// <summary>
/// The DiT configuration that a state dict's tensor shapes imply. Everything that changes a tensor (dim, depth,
/// heads x dim_head, ff_mult, text_dim, vocab rows, conv_layers, qk_norm, long_skip_connection) is determined;
/// the options that change only the computation — <c>text_mask_padding</c> and <c>pe_attn_head</c>, exactly the
/// v0/v1 difference — cannot be read from tensors, and <see cref="Undeterminable"/> says so.
/// </summary>
public sealed record ImpliedConfig(
    int Dim, int Depth, int Heads, int DimHead, int FfMult, int MelDim, int TextDim, int TextNumEmbeds,
    int ConvLayers, bool QkNormRms, bool LongSkipConnection)
{
    /// <summary>Options the tensors cannot reveal: a checkpoint loads silently with either value.</summary>
    public static readonly IReadOnlyList<string> Undeterminable = ["text_mask_padding", "pe_attn_head"];

    static readonly Regex Block = new(@"^transformer_blocks\.(\d+)\.", RegexOptions.Compiled);
    static readonly Regex TextBlock = new(@"^text_embed\.text_blocks\.(\d+)\.", RegexOptions.Compiled);

    /// <summary>Reads shapes from a CFM state dict (keys <c>transformer.*</c>) or a bare DiT state dict.</summary>
    public static ImpliedConfig FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, string source)
    {
        var sd = stateDict.ToDictionary(kv => kv.Key.StartsWith("transformer.", StringComparison.Ordinal) ? kv.Key["transformer.".Length..] : kv.Key, kv => kv.Value.shape);
        long[] Need(string key) => sd.TryGetValue(key, out var s) ? s
            : throw new Errors.CheckpointFormatException(source, $"no tensor '{key}': not an F5-TTS DiT state dict");
        var proj = Need("proj_out.weight");            // (mel_dim, dim)
        var emb = Need("text_embed.text_embed.weight"); // (text_num_embeds + 1, text_dim)
        var invFreq = Need("rotary_embed.inv_freq");    // (dim_head / 2)
        int dim = (int)proj[1], dimHead = (int)invFreq[0] * 2;
        int depth = sd.Keys.Select(k => Block.Match(k)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value) + 1).DefaultIfEmpty(0).Max();
        int conv = sd.Keys.Select(k => TextBlock.Match(k)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value) + 1).DefaultIfEmpty(0).Max();
        var q = Need("transformer_blocks.0.attn.to_q.weight"); // (heads * dim_head, dim)
        var ff = Need("transformer_blocks.0.ff.ff.0.0.weight"); // (dim * ff_mult, dim)
        return new ImpliedConfig(
            Dim: dim, Depth: depth, Heads: (int)q[0] / dimHead, DimHead: dimHead, FfMult: (int)(ff[0] / dim),
            MelDim: (int)proj[0], TextDim: (int)emb[1], TextNumEmbeds: (int)emb[0] - 1, ConvLayers: conv,
            QkNormRms: sd.ContainsKey("transformer_blocks.0.attn.q_norm.weight"),
            LongSkipConnection: sd.ContainsKey("long_skip_connection.weight"));
    }

    /// <summary>
    /// Differences between what the tensors imply and a given config, one readable line each ("dim: tensors say 64,
    /// config says 1024"). Empty when every determinable option agrees.
    /// </summary>
    public IReadOnlyList<string> Mismatches(DiTConfig given)
    {
        var list = new List<string>();
        void Check<T>(string name, T implied, T configured)
        {
            if (!EqualityComparer<T>.Default.Equals(implied, configured)) list.Add($"{name}: tensors say {implied}, config says {configured}");
        }
        Check("dim", Dim, given.Dim);
        Check("depth", Depth, given.Depth);
        Check("heads", Heads, given.Heads);
        Check("dim_head", DimHead, given.DimHead);
        Check("ff_mult", FfMult, given.FfMult);
        Check("mel_dim", MelDim, given.MelDim);
        Check("text_dim", TextDim, given.EffectiveTextDim);
        Check("text_num_embeds (vocab size)", TextNumEmbeds, given.TextNumEmbeds);
        Check("conv_layers", ConvLayers, given.ConvLayers);
        Check("qk_norm", QkNormRms ? "rms_norm" : "None", given.QkNorm ?? "None");
        Check("long_skip_connection", LongSkipConnection, given.LongSkipConnection);
        return list;
    }
}
