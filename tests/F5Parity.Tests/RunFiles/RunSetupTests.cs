using F5Parity.RunFiles;
using F5Parity.Search;
using F5Parity.Tests.TestUtilities;
using F5Parity.Diagnosis.Configuration;

namespace F5Parity.Tests.RunFiles;

/// <summary>
/// Reading the run-folder fixtures (fixtures/runs/, upstream's own layout): every value the files give arrives with
/// its source, facts no file gives are listed as missing, and the candidates of the setup search come in the
/// likely-first order. No sampling here.
/// </summary>
public sealed class RunSetupTests
{
    static string Run(string name) => Path.Combine(RepoPaths.Fixtures, "runs", name);

    [Fact]
    public void Finetune_gradio_run_is_read_from_setting_json_and_the_dataset_folder()
    {
        var setup = RunSetup.Read(RunFolder.Find(Path.Combine(Run("healthy"), "ckpts", "healthy")), InferToml.Read(Path.Combine(Run("healthy"), "infer.toml")));
        setup.Values["checkpoint"].Value.Should().EndWith("model_1200.pt");
        setup.Values["modelConfig"].Should().Be(new Sourced<string>(ModelConfigRef.FixtureV1, "from setting.json `exp_name` (options), tensor sizes from model_1200.pt"));
        setup.Values["vocab"].Value.Should().EndWith(Path.Combine("data", "healthy_pinyin", "vocab.txt"));
        setup.Values["vocab"].Source.Should().Be("from the dataset folder data/healthy_pinyin");
        setup.Values["trainingDtype"].Value.Should().Be("float32");
        setup.Values["trainingDtype"].Source.Should().StartWith("from setting.json `mixed_precision`");
        setup.Values["inferenceVocab"].Source.Should().Be("from infer.toml `vocab_file`");
        setup.Values["inferenceNfe"].Value.Should().Be("8");
        setup.Values["genText"].Value.Should().Be("o túnel dourado");
        setup.Missing.Should().BeEmpty();
    }

    [Fact]
    public void Hydra_run_takes_the_options_from_model_arch()
    {
        var setup = RunSetup.Read(RunFolder.Find(Path.Combine(Run("v0-believed-v1"), "ckpts", "v0run")), InferToml.Read(Path.Combine(Run("v0-believed-v1"), "infer.toml")));
        setup.Values["modelConfig"].Should().Be(new Sourced<string>(ModelConfigRef.FixtureV0, "from config.yaml `model.arch`"));
        setup.Values["inferenceModelConfig"].Value.Should().Be(ModelConfigRef.FixtureV1);
        setup.TrainMelSpecType!.Value.Should().Be("vocos");
        setup.TrainYaml!.DatasetName.Value.Should().Be("v0run");
    }

    [Fact]
    public void Custom_tokenizer_file_of_setting_json_is_the_training_vocab()
    {
        var setup = RunSetup.Read(RunFolder.Find(Path.Combine(Run("pretrained-fails-too"), "ckpts", "ptbr_ft")), null);
        setup.Values["vocab"].Value.Should().EndWith(Path.Combine("data", "ptbr_ft_custom", "vocab.txt"));
        setup.Values["vocab"].Source.Should().Be("from setting.json `tokenizer_file`");
        setup.Values["trainingText"].Source.Should().StartWith("assumed:");
    }

    [Fact]
    public void A_bare_published_checkpoint_leaves_vocab_and_options_missing()
    {
        var folder = Path.Combine(Run("pretrained-fails-too"), "ckpts", "ptbr_pretrained");
        var setup = RunSetup.Read(RunFolder.Find(folder), InferToml.Read(Path.Combine(Run("pretrained-fails-too"), "infer.toml")));
        setup.Values.Should().NotContainKey("vocab");
        setup.Values["modelConfig"].Source.Should().StartWith("assumed:");
        setup.Missing.Should().Contain(m => m.StartsWith("vocab:")).And.Contain(m => m.StartsWith("modelConfig:")).And.Contain(m => m.StartsWith("inferenceCheckpoint:"));
        RunFolder.Find(folder).VocabFilesBesideSaves().Should().ContainSingle().Which.Should().EndWith("vocab.txt");
    }

    [Fact]
    public void Trainer_samples_are_found_by_update()
    {
        var dir = Directory.CreateTempSubdirectory("f5parity-samples-").FullName;
        try
        {
            var samples = Directory.CreateDirectory(Path.Combine(dir, "samples")).FullName;
            foreach (var n in new[] { "update_400_gen.wav", "update_400_ref.wav", "update_1200_gen.wav", "update_x_gen.wav" })
                File.WriteAllBytes(Path.Combine(samples, n), []);
            var found = TrainerSample.Find(samples);
            found.Select(s => s.Update).Should().Equal(400, 1200);
            found[0].RefWav.Should().EndWith("update_400_ref.wav");
            found[1].RefWav.Should().BeNull();
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Search_candidates_change_one_fact_before_two_vocab_first()
    {
        var stated = new SetupCandidate(ModelConfigRef.FixtureV1, "/d/a/vocab.txt", TextProcessing.CharToPinyin, false);
        var c = SetupSearch.Candidates(stated, ["/d/a/vocab.txt", "/d/b/vocab.txt"], []).ToList();
        c[0].Should().Be(stated with { Vocab = "/d/b/vocab.txt" });
        c[1].Should().Be(stated with { ModelConfig = ModelConfigRef.FixtureV0 });
        c.Take(5).Should().OnlyContain(x => stated.DifferencesFrom(x).Count == 1);
        c.Skip(5).Should().OnlyContain(x => stated.DifferencesFrom(x).Count == 2);
        c.Should().OnlyHaveUniqueItems().And.NotContain(stated);
    }
}
