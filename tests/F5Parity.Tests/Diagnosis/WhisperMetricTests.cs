using F5Parity.Asr;
using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Metrics;
using F5Parity.Tests.Asr;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// The whisper metric end to end on a real generated wave: 24 kHz → 16 kHz, Whisper.net, normalisation, ratio/CER/WER.
/// Uses the suite's tiny ggml model whose scripted decoder says "tudo bem" whatever it hears, so the transcript is known.
/// </summary>
public sealed class WhisperMetricTests(TinyWhisperModelFixture model) : IClassFixture<TinyWhisperModelFixture>
{
    [Fact]
    public void Transcribes_a_generated_wave_and_scores_it_against_the_target_text()
    {
        var run = DiagnosisSession.Diagnoser.Runner.Run(DiagnosisSession.Diagnoser.Paths.Infer);
        using var transcriber = new WhisperTranscriber(model.ModelPath, "pt");
        var m = new WhisperMetric(transcriber).Measure(run.Output!)!;
        m.Transcript.Should().Be(GgmlWhisperModelWriter.ScriptedText);
        string target = TextNormalizer.Normalize(run.Spec.TargetText);
        m.Score.Should().Be(SequenceMatcher.Ratio(target, "tudo bem"));
        m.Values["cer"].Should().Be(EditDistance.Cer(target, "tudo bem"));
        m.Good.Should().BeFalse("\"tudo bem\" is not the target text");

        var matching = run.Output! with { Spec = run.Spec with { GenText = "Tudo bem!" } };
        var ok = new WhisperMetric(transcriber).Measure(matching)!;
        ok.Score.Should().Be(1.0);
        ok.Values["wer"].Should().Be(0);
        ok.Good.Should().BeTrue();
    }
}
