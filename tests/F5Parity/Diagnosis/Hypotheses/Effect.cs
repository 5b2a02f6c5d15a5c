using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Hypotheses;

/// <summary>
/// How far one generated mel moved from another: relative L2 when the shapes match and both are finite, else the frame
/// counts or how many values are NaN/Inf (an fp16 overflow gives a mel no distance can be taken to).
/// </summary>
public sealed record Effect(double? RelativeL2, long FramesA, long FramesB, long NonFiniteA = 0, long NonFiniteB = 0, long Values = 0)
{
    public static Effect Between(RunOutput a, RunOutput b)
    {
        using var scope = NewDisposeScope();
        long fa = a.GenMel.shape[^1], fb = b.GenMel.shape[^1];
        long na = a.GenMel.isfinite().logical_not().sum().item<long>(), nb = b.GenMel.isfinite().logical_not().sum().item<long>();
        if (na > 0 || nb > 0) return new Effect(null, fa, fb, na, nb, b.GenMel.numel());
        if (!a.GenMel.shape.SequenceEqual(b.GenMel.shape)) return new Effect(null, fa, fb);
        double norm = a.GenMel.to(ScalarType.Float64).norm().item<double>();
        double diff = (a.GenMel.to(ScalarType.Float64) - b.GenMel.to(ScalarType.Float64)).norm().item<double>();
        return new Effect(norm > 0 ? diff / norm : diff, fa, fb);
    }

    /// <summary>True when either mel holds NaN or Inf.</summary>
    public bool NotFinite => NonFiniteA > 0 || NonFiniteB > 0;

    /// <summary>"12.3 %", "length 348 → 300 frames" or "treatment not finite: 1234 of 34800 values NaN/Inf".</summary>
    public override string ToString() =>
        NonFiniteB > 0 ? $"treatment not finite: {NonFiniteB} of {Values} values NaN/Inf (overflow)"
        : NonFiniteA > 0 ? $"control not finite: {NonFiniteA} values NaN/Inf"
        : RelativeL2 is double r ? $"{r * 100:0.###} %" : $"length {FramesA} → {FramesB} frames";
}
