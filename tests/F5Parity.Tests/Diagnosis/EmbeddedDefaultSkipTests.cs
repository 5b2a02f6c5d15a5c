using F5Parity.Diagnosis.Configuration;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// When a measured test skips: only when a setting that changes what is sampled differs from the embedded default,
/// not when any F5PARITY_* variable is set.
/// </summary>
public sealed class EmbeddedDefaultSkipTests
{
    static DiagnosisConfig Load(Dictionary<string, string?> environment) =>
        DiagnosisConfig.Load(DiagnosisSession.DefaultConfigFile, environment, Directory.GetCurrentDirectory());

    static readonly DiagnosisConfig Default = Load([]);

    [Fact]
    public void Output_folder_and_scoring_variables_do_not_count_as_a_change()
    {
        var config = Load(new() { ["F5PARITY_OUT"] = "/tmp/elsewhere", ["F5PARITY_METRIC"] = "mel-dtw", ["F5PARITY_FOLD_ACCENTS"] = "true" });
        config.Out.Should().NotBe(Default.Out, "the variable did apply");
        DiagnosisSession.DifferencesFrom(config, Default).Should().BeEmpty();
    }

    [Fact]
    public void A_sampling_setting_counts_and_the_reason_names_it_with_both_values()
    {
        var config = Load(new() { ["F5PARITY_NFE"] = "16", ["F5PARITY_OUT"] = "/tmp/elsewhere" });
        DiagnosisSession.DifferencesFrom(config, Default).Should().Equal("nfe = 16 (default: 8; F5PARITY_NFE)");
    }

    [Fact]
    public void A_variable_that_restates_the_default_value_does_not_count()
    {
        var config = Load(new() { ["F5PARITY_SEED"] = "42", ["F5PARITY_VOCAB"] = Default.Vocab });
        DiagnosisSession.DifferencesFrom(config, Default).Should().BeEmpty();
    }
}
