using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Runs;

/// <summary>
/// What a <see cref="RunSpec"/> produced: the generated part of the mel (d, n) on the CPU in float32, its wave, the
/// tokens and ids the model saw (all chunks, in order), the frame counts, and how long sampling took.
/// </summary>
public sealed record RunOutput(RunSpec Spec, Tensor GenMel, Tensor Wave, int SampleRate, IReadOnlyList<string> Tokens,
    long[] TextIds, long Duration, long RefFrames, double Seconds) : IDisposable
{
    public void Dispose()
    {
        GenMel.Dispose();
        Wave.Dispose();
    }
}
