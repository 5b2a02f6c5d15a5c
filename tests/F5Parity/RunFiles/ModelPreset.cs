using F5Parity.Model;
using F5Parity.Diagnosis.Configuration;

namespace F5Parity.RunFiles;

/// <summary>
/// The diagnosis' model-config name for a DiT read from a run's files: the options version ("v0" = F5TTS_Base's
/// text_mask_padding False / pe_attn_head 1, "v1" = DiT's defaults) on the tensor sizes of a known family —
/// upstream's Base models or the tiny DiT of the model fixtures. Sizes of another family are not named here.
/// </summary>
public static class ModelPreset
{
    public static string? Name(string version, DiTConfig sizes)
    {
        bool v0 = version == "v0";
        if (SameSizes(sizes, DiTConfig.F5TTS_v1_Base(sizes.TextNumEmbeds))) return v0 ? "F5TTS_Base" : "F5TTS_v1_Base";
        if (SameSizes(sizes, Fixtures.CodebookFixture.Config(sizes.TextNumEmbeds))) return v0 ? Diagnosis.Configuration.ModelConfigRef.FixtureV0 : Diagnosis.Configuration.ModelConfigRef.FixtureV1;
        return null;
    }

    /// <summary>
    /// The preset name, or, for sizes of another family, a model_config.json of exactly these sizes and options written
    /// to the temp folder (never beside the user's files), named <c>&lt;sizes hash&gt;-v0|v1.json</c> so that
    /// <see cref="Other"/> can write its counterpart.
    /// </summary>
    public static string NameOrFile(string version, DiTConfig sizes, int textNumEmbeds) =>
        Name(version, sizes) ?? WriteFile(version, sizes with { TextNumEmbeds = textNumEmbeds });

    static string WriteFile(string version, DiTConfig c)
    {
        var kw = new System.Text.Json.Nodes.JsonObject
        {
            ["dim"] = c.Dim, ["depth"] = c.Depth, ["heads"] = c.Heads, ["dim_head"] = c.DimHead, ["ff_mult"] = c.FfMult,
            ["text_dim"] = c.TextDim, ["conv_layers"] = c.ConvLayers, ["qk_norm"] = c.QkNorm, ["long_skip_connection"] = c.LongSkipConnection,
            ["text_mask_padding"] = version != "v0", ["pe_attn_head"] = version == "v0" ? 1 : null,
        };
        var root = new System.Text.Json.Nodes.JsonObject { ["DiT_kwargs"] = kw, ["text_num_embeds"] = c.TextNumEmbeds, ["mel_dim"] = c.MelDim };
        var sizesKey = $"{c.Dim}-{c.Depth}-{c.Heads}x{c.DimHead}-ff{c.FfMult}-t{c.TextDim}-c{c.ConvLayers}-q{c.QkNorm}-s{c.LongSkipConnection}-v{c.TextNumEmbeds}-m{c.MelDim}";
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "f5parity-run-configs")).FullName;
        var file = Path.Combine(dir, $"dit-{sizesKey}-{version}.json");
        File.WriteAllText(file, root.ToJsonString());
        return file;
    }

    /// <summary>The options version a preset name stands for.</summary>
    public static string Version(string presetName) =>
        presetName is "F5TTS_Base" or Diagnosis.Configuration.ModelConfigRef.FixtureV0 or "v0" || presetName.EndsWith("-v0.json", StringComparison.Ordinal) ? "v0" : "v1";

    /// <summary>The same preset with the other options version (the v0/v1 fault's alternative).</summary>
    public static string Other(string presetName) => presetName switch
    {
        "F5TTS_Base" => "F5TTS_v1_Base",
        "F5TTS_v1_Base" => "F5TTS_Base",
        Diagnosis.Configuration.ModelConfigRef.FixtureV0 => Diagnosis.Configuration.ModelConfigRef.FixtureV1,
        Diagnosis.Configuration.ModelConfigRef.FixtureV1 => Diagnosis.Configuration.ModelConfigRef.FixtureV0,
        _ when presetName.EndsWith("-v0.json", StringComparison.Ordinal) && File.Exists(presetName) => Counterpart(presetName, "v1"),
        _ when presetName.EndsWith("-v1.json", StringComparison.Ordinal) && File.Exists(presetName) => Counterpart(presetName, "v0"),
        _ => presetName,
    };

    static string Counterpart(string file, string version) =>
        WriteFile(version, Model.DiTConfig.FromJsonFile(file));

    static bool SameSizes(DiTConfig a, DiTConfig b) =>
        a.Dim == b.Dim && a.Depth == b.Depth && a.Heads == b.Heads && a.DimHead == b.DimHead && a.FfMult == b.FfMult
        && a.EffectiveTextDim == b.EffectiveTextDim && a.ConvLayers == b.ConvLayers && a.MelDim == b.MelDim;

    /// <summary>Sizes implied by a checkpoint's tensors (for a setting.json run, whose exp_name gives only the version).</summary>
    public static DiTConfig SizesOf(string checkpoint)
    {
        using var ck = Checkpoints.TrainerCheckpoint.Read(checkpoint);
        var sd = ck.ModelStateDict is not null ? ck.InferenceStateDict(false) : ck.InferenceStateDict(true);
        var i = Checkpoints.ImpliedConfig.FromStateDict(sd, checkpoint);
        return new DiTConfig
        {
            Dim = i.Dim, Depth = i.Depth, Heads = i.Heads, DimHead = i.DimHead, FfMult = i.FfMult, MelDim = i.MelDim,
            TextDim = i.TextDim, TextNumEmbeds = i.TextNumEmbeds, ConvLayers = i.ConvLayers,
        };
    }
}
