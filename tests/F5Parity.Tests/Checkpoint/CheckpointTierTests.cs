using F5Parity.CheckpointTier;
using F5Parity.Diagnosis.Hypotheses;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// The checkpoint tier (<c>--filter Category=Checkpoint</c>): the findings of one diagnosis of the configured
/// checkpoint as rows a test runner, TRX or JUnit view shows. A red row is a cause (or the symptom, the infer row);
/// its message holds the measured numbers, the ladder rung, the fix and the bundle files. See the README.
/// </summary>
[Collection(CheckpointTierCollection.Name)]
[Trait("Category", "Checkpoint")]
public sealed class CheckpointTierTests(CheckpointTierFixture tier)
{
    public static TheoryData<string> HypothesisIds() => [.. HypothesisCatalogue.Ids];
    public static TheoryData<string> StaticChecks() => [.. CheckpointRows.StaticFamilies.Select(f => f.Id)];

    /// <summary>With F5PARITY_RUN: the setup the run's files state makes the trainer path speak (else skips naming the variable).</summary>
    [SkippableFact(DisplayName = "Stated training setup reproduces the trainer")]
    public void Stated_training_setup_reproduces_the_trainer() => tier.Assert(CheckpointRows.StatedSetupId);

    [SkippableFact(DisplayName = "Trainer path says the text")]
    public void Trainer_path_says_the_text() => tier.Assert("path:trainer");

    [SkippableFact(DisplayName = "Infer path says the text as well as the trainer path")]
    public void Infer_path_says_the_text_as_well_as_the_trainer_path() => tier.Assert("path:infer");

    [SkippableTheory]
    [MemberData(nameof(HypothesisIds))]
    public void Hypothesis_is_not_a_difference_that_breaks_the_infer_path(string id) => tier.Assert($"hypothesis:{id}");

    [SkippableTheory]
    [MemberData(nameof(StaticChecks))]
    public void Static_check_finds_no_error(string check) => tier.Assert($"static:{check}");

    [SkippableFact]
    public void Infer_path_mel_matches_the_checkpoints_golden_file()
    {
        Skip.If(tier.SkipReason is not null, tier.SkipReason);
        Skip.If(tier.Report?.InferRun.Output is null, $"the infer path did not run: {tier.Report?.InferRun.Error ?? tier.LoadError}");
        CheckpointGolden.VerifyMel(CheckpointGolden.Folder(tier.Start, tier.Name), "infer.mel", tier.Report!.InferRun.Output!.GenMel);
    }

    [SkippableFact]
    public void Infer_path_transcript_matches_the_checkpoints_golden_file()
    {
        Skip.If(tier.SkipReason is not null, tier.SkipReason);
        var transcript = tier.Report?.InferRun.Metrics.Select(m => m.Transcript).FirstOrDefault(t => t is not null);
        Skip.If(transcript is null, "no transcript: configure a Whisper model (whisperModel) to golden the infer path's transcript");
        CheckpointGolden.VerifyText(CheckpointGolden.Folder(tier.Start, tier.Name), "infer.transcript", transcript!);
    }
}
