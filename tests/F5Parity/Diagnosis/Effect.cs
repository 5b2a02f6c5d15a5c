using static TorchSharp.torch;

namespace F5Parity.Diagnosis;

/// <summary>How far one generated mel moved from another: relative L2 when the shapes match, else only the frame counts.</summary>
public sealed record Effect(double? RelativeL2, long FramesA, long FramesB)
{
    public static Effect Between(RunOutput a, RunOutput b)
    {
        long fa = a.GenMel.shape[^1], fb = b.GenMel.shape[^1];
        if (!a.GenMel.shape.SequenceEqual(b.GenMel.shape)) return new Effect(null, fa, fb);
        using var scope = NewDisposeScope();
        double norm = a.GenMel.to(ScalarType.Float64).norm().item<double>();
        double diff = (a.GenMel.to(ScalarType.Float64) - b.GenMel.to(ScalarType.Float64)).norm().item<double>();
        return new Effect(norm > 0 ? diff / norm : diff, fa, fb);
    }

    /// <summary>"12.3 %" or "length 348 → 300 frames".</summary>
    public override string ToString() => RelativeL2 is double r ? $"{r * 100:0.###} %" : $"length {FramesA} → {FramesB} frames";
}
