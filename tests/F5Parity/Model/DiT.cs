using F5Parity.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace F5Parity.Model;

/// <summary>
/// Port of upstream <c>DiT</c> (model/backbones/dit.py), the flow-matching transformer backbone: time embedding,
/// text embedding, input embedding, rotary embedding, <c>depth</c> <see cref="DiTBlock"/>s, optional long skip
/// connection, <see cref="AdaLayerNormFinal"/> and the output projection to <c>mel_dim</c>. Field names are upstream's
/// attribute names, so the state dict equals upstream's without the <c>transformer.</c> prefix CFM adds.
/// </summary>
public sealed class DiT : Module
{
    readonly TimestepEmbedding time_embed;
    readonly TextEmbedding text_embed;
    readonly InputEmbedding input_embed;
    readonly RotaryEmbedding rotary_embed;
    readonly ModuleList<DiTBlock> transformer_blocks;
    readonly Linear? long_skip_connection;
    readonly AdaLayerNormFinal norm_out;
    readonly Linear proj_out;
    readonly TextCache _textCache = new();

    /// <param name="config">Upstream's DiT keyword arguments.</param>
    /// <param name="device">Where to create the parameters (the <c>meta</c> device builds shapes only).</param>
    public DiT(DiTConfig config, Device? device = null) : base(nameof(DiT))
    {
        Config = config;
        long dim = config.Dim, textDim = config.EffectiveTextDim;
        time_embed = new TimestepEmbedding(dim, device: device);
        text_embed = new TextEmbedding(config.TextNumEmbeds, textDim, config.TextMaskPadding,
            config.TextEmbeddingAverageUpsampling, config.ConvLayers, device: device);
        input_embed = new InputEmbedding(config.MelDim, textDim, dim, device);
        rotary_embed = new RotaryEmbedding(config.DimHead, device: device);
        transformer_blocks = ModuleList(Enumerable.Range(0, config.Depth)
            .Select(_ => new DiTBlock(dim, config.Heads, config.DimHead, config.FfMult, config.Dropout, config.QkNorm,
                config.PeAttnHead, config.AttnMaskEnabled, device))
            .ToArray());
        if (config.LongSkipConnection) long_skip_connection = Linear(dim * 2, dim, hasBias: false, device: device);
        norm_out = new AdaLayerNormFinal(dim, device);
        proj_out = Linear(dim, config.MelDim, device: device);
        RegisterComponents();
    }

    public DiTConfig Config { get; }

    /// <summary>
    /// Upstream <c>DiT.forward</c>.
    /// </summary>
    /// <param name="x">b n mel_dim: the noised mel.</param>
    /// <param name="cond">b n mel_dim: the masked conditioning mel.</param>
    /// <param name="text">b nt: token ids, batch padding −1.</param>
    /// <param name="time">b, or a 0-dim tensor repeated to the batch.</param>
    /// <param name="mask">b n (true = frame present) or null.</param>
    /// <param name="dropAudioCond">Zero the conditioning mel (classifier-free guidance).</param>
    /// <param name="dropText">Replace the text by filler (classifier-free guidance).</param>
    /// <param name="cfgInfer">Run the conditional and the unconditional (both dropped) pass as one batch of 2b.</param>
    /// <param name="cache">Reuse the text embeddings computed by an earlier call (until <see cref="ClearCache"/>).</param>
    /// <returns>b n mel_dim, or 2b n mel_dim with <paramref name="cfgInfer"/> (conditional rows first).</returns>
    public Tensor forward(Tensor x, Tensor cond, Tensor text, Tensor time, Tensor? mask = null, bool dropAudioCond = false,
        bool dropText = false, bool cfgInfer = false, bool cache = false)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], seqLen = x.shape[1];
        if (time.ndim == 0) time = time.repeat(batch);                                   // b

        var t = time_embed.call(time);                                                   // b d
        if (cfgInfer)
        {
            var xCond = GetInputEmbed(x, cond, text, false, false, cache, mask);
            var xUncond = GetInputEmbed(x, cond, text, true, true, cache, mask);
            x = cat([xCond, xUncond], 0);                                                // 2b n d
            t = cat([t, t], 0);
            if (mask is not null) mask = cat([mask, mask], 0);
        }
        else
        {
            x = GetInputEmbed(x, cond, text, dropAudioCond, dropText, cache, mask);      // b n d
        }

        RotaryFreqs rope;
        using (ForwardProfile.Time(ForwardPart.Rotary)) rope = rotary_embed.forward_from_seq_len(seqLen);
        using var _rope = rope;
        var residual = x;
        foreach (var block in transformer_blocks) x = block.call(x, t, mask, rope);
        if (long_skip_connection is not null) x = Autocast.Linear(long_skip_connection, cat([x, residual], -1));

        using (ForwardProfile.Time(ForwardPart.Norms)) x = norm_out.call(x, t);
        return Autocast.Linear(proj_out, x).MoveToOuterDisposeScope();                  // b n mel_dim
    }

    /// <summary>Forgets the cached text embeddings (upstream <c>clear_cache</c>).</summary>
    public void ClearCache() => _textCache.Clear();

    Tensor GetInputEmbed(Tensor x, Tensor cond, Tensor text, bool dropAudioCond, bool dropText, bool cache, Tensor? audioMask)
    {
        using var scope = NewDisposeScope();
        long seqLen = x.shape[1];
        Tensor textEmbed;
        if (cache)
        {
            var cached = dropText ? _textCache.Uncond : _textCache.Cond;
            if (cached is null)
            {
                using (ForwardProfile.Time(ForwardPart.TextEmbed))
                    cached = text_embed.call(text, seqLen, dropText, audioMask).DetachFromDisposeScope();
                if (dropText) _textCache.Uncond = cached; else _textCache.Cond = cached;
            }
            textEmbed = cached;
        }
        else
        {
            using (ForwardProfile.Time(ForwardPart.TextEmbed)) textEmbed = text_embed.call(text, seqLen, dropText, audioMask);
        }
        return input_embed.call(x, cond, textEmbed, dropAudioCond, audioMask).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _textCache.Clear();
        base.Dispose(disposing);
    }

    /// <summary>Holds upstream's <c>text_cond</c>/<c>text_uncond</c> outside the module's tensor fields (not state).</summary>
    sealed class TextCache
    {
        public Tensor? Cond, Uncond;

        public void Clear()
        {
            Cond?.Dispose(); Uncond?.Dispose();
            Cond = Uncond = null;
        }
    }
}
