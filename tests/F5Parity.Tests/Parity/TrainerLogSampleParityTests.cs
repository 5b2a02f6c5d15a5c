using F5Parity.Pipelines;
using F5Parity.Tests.TestUtilities;
using F5Parity.Text;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// The REAL <c>Trainer.train()</c> log-sample call captured at update 4 (<c>&lt;case&gt;/trainer_run/logsample_capture</c>):
/// the generator state right before sample() is restored, so the noise the trainer drew after its training steps is
/// drawn again, and the whole 32-step sample, the cut and the vocoder must match.
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class TrainerLogSampleParityTests
{
    const string File = "trainer_run/logsample_capture.safetensors";

    /// <summary>
    /// Needs a real training run to capture, so a reference folder written by scripts/make_reference.py has none:
    /// the test then skips, naming the missing file.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Real_trainer_log_sample_is_reproduced(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        Skip.IfNot(c.Has(File), $"{c.PathOf(File)} not found: this reference folder holds no capture of a real trainer log sample");
        var r = c.Tensors(File);
        var meta = ReferenceSet.Current.Metadata(Path.Combine(caseName, File));
        var tokens = CharToPinyin.Convert([ReferenceSet.Current.Transcript])[0];
        tokens.Concat([" "]).Concat(tokens).Should().Equal(TokenLists.Parse(meta["text_tokens"])[0]);

        // built before the state is restored: constructing modules draws from the generator
        var (model, vocab, vocoder) = (CaseModels.Get(c, useEma: false), CaseModels.Vocab, CaseModels.Vocoder);
        random.set_rng_state(r["rng_state_before_sample"]);
        int steps = (int)r["steps"].item<long>();
        double cfg = r["cfg_strength"].item<float>();
        var result = TrainerSamplePath.Run(model, vocab, vocoder,
            r["dataset_item_mel"].unsqueeze(0), tokens, new TrainerSampleOptions
            {
                NfeStep = steps,
                CfgStrength = cfg,
                SwaySamplingCoef = r["sway_sampling_coef"].item<float>(),
            });

        TrainerRunAssert.Matches(result, r, $"{caseName}/logsample", genWaveKey: "gen_audio", refWaveKey: "ref_audio",
            SamplingTolerances.For(c.Config, steps, cfg));
    }
}
