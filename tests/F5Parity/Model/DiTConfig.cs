using System.Text.Json;
using System.Text.Json.Nodes;
using F5Parity.Errors;

namespace F5Parity.Model;

/// <summary>
/// The keyword arguments of upstream's <c>DiT.__init__</c> (backbones/dit.py), with upstream's defaults, plus the two
/// values the CFM wrapper passes in (<c>mel_dim</c>, <c>text_num_embeds</c>). Property names are the Python names in
/// PascalCase so a reader can hold this beside <c>configs/*.yaml</c>.
/// </summary>
public sealed record DiTConfig
{
    public int Dim { get; init; } = 1024;
    public int Depth { get; init; } = 8;
    public int Heads { get; init; } = 8;
    public int DimHead { get; init; } = 64;
    public double Dropout { get; init; } = 0.1;
    public int FfMult { get; init; } = 4;
    public int MelDim { get; init; } = 100;
    public int TextNumEmbeds { get; init; } = 256;
    /// <summary><c>text_dim</c>; null means "same as mel_dim", as upstream does.</summary>
    public int? TextDim { get; init; }
    public bool TextMaskPadding { get; init; } = true;
    public bool TextEmbeddingAverageUpsampling { get; init; }
    /// <summary><c>qk_norm</c>: null or "rms_norm".</summary>
    public string? QkNorm { get; init; }
    public int ConvLayers { get; init; }
    /// <summary><c>pe_attn_head</c>: null = rotary on all heads (v1), 1 = only the first head (v0).</summary>
    public int? PeAttnHead { get; init; }
    public bool AttnMaskEnabled { get; init; }
    public bool LongSkipConnection { get; init; }

    public int EffectiveTextDim => TextDim ?? MelDim;

    /// <summary>configs/F5TTS_v1_Base.yaml (text_num_embeds = vocab size, 2545 for the released vocab).</summary>
    public static DiTConfig F5TTS_v1_Base(int textNumEmbeds = 2545) => new()
    {
        Dim = 1024, Depth = 22, Heads = 16, DimHead = 64, FfMult = 2, TextDim = 512, ConvLayers = 4,
        TextMaskPadding = true, QkNorm = null, PeAttnHead = null, TextNumEmbeds = textNumEmbeds,
    };

    /// <summary>configs/F5TTS_Base.yaml (v0): same tensors as v1, different computation.</summary>
    public static DiTConfig F5TTS_Base(int textNumEmbeds = 2545) => F5TTS_v1_Base(textNumEmbeds) with
    {
        TextMaskPadding = false, PeAttnHead = 1,
    };

    /// <summary>
    /// Reads a reference case's <c>model_config.json</c> (<c>{"DiT_kwargs": {...}, "text_num_embeds": n, "mel_dim": m}</c>)
    /// or a flat object of DiT kwargs.
    /// </summary>
    public static DiTConfig FromJsonFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException(path, "model config file not found");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new ConfigurationException(path, $"not valid JSON ({e.Message})", e); }
        if (root is not JsonObject obj) throw new ConfigurationException(path, "expected a JSON object");
        var kw = obj["DiT_kwargs"] as JsonObject ?? obj;
        var c = FromKwargs(kw, path);
        if (obj["text_num_embeds"] is JsonNode n) c = c with { TextNumEmbeds = n.GetValue<int>() };
        if (obj["mel_dim"] is JsonNode m) c = c with { MelDim = m.GetValue<int>() };
        return c;
    }

    /// <summary>Builds a config from upstream-named keyword arguments; unknown keys that change tensors are refused.</summary>
    public static DiTConfig FromKwargs(JsonObject kw, string source)
    {
        var c = new DiTConfig();
        foreach (var (key, value) in kw)
        {
            try
            {
                c = key switch
                {
                    "dim" => c with { Dim = value!.GetValue<int>() },
                    "depth" => c with { Depth = value!.GetValue<int>() },
                    "heads" => c with { Heads = value!.GetValue<int>() },
                    "dim_head" => c with { DimHead = value!.GetValue<int>() },
                    "dropout" => c with { Dropout = value!.GetValue<double>() },
                    "ff_mult" => c with { FfMult = value!.GetValue<int>() },
                    "mel_dim" => c with { MelDim = value!.GetValue<int>() },
                    "text_num_embeds" => c with { TextNumEmbeds = value!.GetValue<int>() },
                    "text_dim" => c with { TextDim = value?.GetValue<int>() },
                    "text_mask_padding" => c with { TextMaskPadding = value!.GetValue<bool>() },
                    "text_embedding_average_upsampling" => c with { TextEmbeddingAverageUpsampling = value!.GetValue<bool>() },
                    "qk_norm" => c with { QkNorm = value?.GetValue<string>() },
                    "conv_layers" => c with { ConvLayers = value!.GetValue<int>() },
                    "pe_attn_head" => c with { PeAttnHead = value?.GetValue<int>() },
                    "attn_mask_enabled" => c with { AttnMaskEnabled = value!.GetValue<bool>() },
                    "long_skip_connection" => c with { LongSkipConnection = value!.GetValue<bool>() },
                    // These choose an implementation, not the arithmetic: the port always runs plain attention.
                    "attn_backend" or "checkpoint_activations" => c,
                    _ => throw new ConfigurationException(source, $"unknown DiT argument '{key}'"),
                };
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new ConfigurationException(source, $"DiT argument '{key}' has the wrong type ({e.Message})", e);
            }
        }
        if (c.QkNorm is not (null or "rms_norm"))
            throw new ConfigurationException(source, $"qk_norm must be null or \"rms_norm\", not \"{c.QkNorm}\"");
        return c;
    }
}
