using F5Parity.CheckpointTier;
using F5Parity.Errors;
using F5Parity.Tests.TestUtilities;
using F5Parity.Diagnosis.Configuration;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// A relative F5PARITY_CONFIG resolves against the directory `dotnet test` was started from (F5PARITY_CWD, else the
/// shell's PWD), not the bin folder the tests run in; unset, the tier has no configuration; the quick profile caps
/// NFE and draws.
/// </summary>
public sealed class ConfigLocatorTests
{
    static Dictionary<string, string?> Env(params (string Key, string? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Relative_config_resolves_against_the_shells_working_directory()
    {
        var config = ConfigLocator.Load(Env((DiagnosisConfig.ConfigVariable, "fixtures/diagnose-default.json"), ("PWD", RepoPaths.Root)), AppContext.BaseDirectory);
        Assert.NotNull(config);
        Assert.Equal(Path.Combine(RepoPaths.Fixtures, "models", "finetune_stale_ema.pt"), config.Checkpoint);
    }

    [Fact]
    public void F5PARITY_CWD_wins_over_PWD_and_a_missing_file_names_where_it_looked()
    {
        var env = Env((DiagnosisConfig.ConfigVariable, "diagnose-default.json"), ("PWD", RepoPaths.Root), (ConfigLocator.CwdVariable, RepoPaths.Fixtures));
        Assert.Equal(Path.Combine(RepoPaths.Fixtures, "models", "finetune_stale_ema.pt"), ConfigLocator.Load(env, AppContext.BaseDirectory)!.Checkpoint);
        var e = Assert.Throws<ConfigurationException>(() => ConfigLocator.Load(Env((DiagnosisConfig.ConfigVariable, "diagnose-default.json"), ("PWD", RepoPaths.Root)), AppContext.BaseDirectory));
        Assert.Contains(RepoPaths.Root, e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Run_folder_variables_resolve_against_the_start_directory_and_need_F5PARITY_RUN()
    {
        var dir = Path.Combine(RepoPaths.Fixtures, "runs", "healthy");
        var (run, infer, dataset) = ConfigLocator.RunFiles(Env((ConfigLocator.RunVariable, "ckpts/healthy"), (ConfigLocator.InferVariable, "infer.toml"), ("PWD", dir)), AppContext.BaseDirectory);
        Assert.Equal(Path.Combine(dir, "ckpts", "healthy"), run);
        Assert.Equal(Path.Combine(dir, "infer.toml"), infer);
        Assert.Null(dataset);
        Assert.Equal((null, null, null), ConfigLocator.RunFiles(Env(("PWD", dir)), AppContext.BaseDirectory));
        var e = Assert.Throws<ConfigurationException>(() => ConfigLocator.RunFiles(Env((ConfigLocator.InferVariable, "infer.toml"), ("PWD", dir)), AppContext.BaseDirectory));
        Assert.Contains(ConfigLocator.RunVariable, e.Message);
    }

    [Fact]
    public void Without_F5PARITY_CONFIG_there_is_no_configuration() =>
        Assert.Null(ConfigLocator.Load(Env(("PWD", RepoPaths.Root)), AppContext.BaseDirectory));

    [Fact]
    public void Quick_profile_caps_NFE_and_draws_and_full_keeps_the_configuration()
    {
        var c = new DiagnosisConfig { Checkpoint = "a.pt", Vocab = "v.txt", RefAudio = "r.wav", RefText = "r", GenText = "g", Nfe = 32, InferenceNfe = 16, Seeds = 3 };
        var quick = Profile.Apply("quick", c);
        Assert.Equal((8, 8, 1), (quick.Nfe, quick.InferenceNfe!.Value, quick.Seeds));
        Assert.Same(c, Profile.Apply("full", c));
        Assert.Throws<ConfigurationException>(() => Profile.Apply("fast", c));
    }
}
