using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Model;

namespace F5Parity.Diagnosis.Configuration;

/// <summary>
/// A DiT configuration with the name it was given by ("F5TTS_v1_Base", "F5TTS_Base" or a JSON path), so reports can
/// say which config a run used. Value equality: two references to the same options are the same config.
/// </summary>
public sealed record ModelConfigRef(string Name, DiTConfig Config)
{
    /// <summary>The tiny DiT of the codebook model fixtures (<see cref="Fixtures.CodebookFixture.Config"/>), v1 options.</summary>
    public const string FixtureV1 = "fixture-v1";

    /// <summary>The same tensors with v0 options (<see cref="Fixtures.CodebookFixture.ConfigV0"/>).</summary>
    public const string FixtureV0 = "fixture-v0";

    /// <summary>
    /// Resolves a preset name (F5TTS_v1_Base / F5TTS_Base, text_num_embeds from <paramref name="vocabSize"/>) or a
    /// model_config.json path (<see cref="DiTConfig.FromJsonFile"/>).
    /// </summary>
    public static ModelConfigRef Resolve(string nameOrPath, int vocabSize) => nameOrPath switch
    {
        "F5TTS_v1_Base" or "v1" => new("F5TTS_v1_Base", DiTConfig.F5TTS_v1_Base(vocabSize)),
        "F5TTS_Base" or "v0" => new("F5TTS_Base", DiTConfig.F5TTS_Base(vocabSize)),
        FixtureV1 => new(FixtureV1, Fixtures.CodebookFixture.Config(vocabSize)),
        FixtureV0 => new(FixtureV0, Fixtures.CodebookFixture.ConfigV0(vocabSize)),
        _ => new(nameOrPath, DiTConfig.FromJsonFile(nameOrPath)),
    };

    /// <summary>The preset names <see cref="Resolve"/> knows; anything else must be a model_config .json file.</summary>
    public static IReadOnlyList<string> Presets => ["F5TTS_v1_Base", "v1", "F5TTS_Base", "v0", FixtureV1, FixtureV0];

    /// <summary>True for a preset name or a .json path (whose reading reports its own faults).</summary>
    public static bool IsValidName(string nameOrPath) =>
        Presets.Contains(nameOrPath) || nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The v0/v1 options the tensors cannot reveal, written as "text_mask_padding=…, pe_attn_head=…".</summary>
    public string ComputeOptions =>
        $"text_mask_padding={(Config.TextMaskPadding ? "True" : "False")}, pe_attn_head={(Config.PeAttnHead?.ToString() ?? "None")}";

    public override string ToString() => $"{System.IO.Path.GetFileName(Name)} ({ComputeOptions})";
}
