using F5Parity.Model;

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
        if (SameSizes(sizes, Fixtures.ModelFixtureRecipe.Config(sizes.TextNumEmbeds))) return v0 ? Diagnosis.ModelConfigRef.FixtureV0 : Diagnosis.ModelConfigRef.FixtureV1;
        return null;
    }

    /// <summary>The options version a preset name stands for.</summary>
    public static string Version(string presetName) => presetName is "F5TTS_Base" or Diagnosis.ModelConfigRef.FixtureV0 or "v0" ? "v0" : "v1";

    /// <summary>The same preset with the other options version (the v0/v1 fault's alternative).</summary>
    public static string Other(string presetName) => presetName switch
    {
        "F5TTS_Base" => "F5TTS_v1_Base",
        "F5TTS_v1_Base" => "F5TTS_Base",
        Diagnosis.ModelConfigRef.FixtureV0 => Diagnosis.ModelConfigRef.FixtureV1,
        Diagnosis.ModelConfigRef.FixtureV1 => Diagnosis.ModelConfigRef.FixtureV0,
        _ => presetName,
    };

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
