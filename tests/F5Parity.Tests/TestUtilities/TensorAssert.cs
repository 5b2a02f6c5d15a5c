using System.Text;
using TorchSharp;
using Xunit.Sdk;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// diffusers-style tensor comparison: shape first, then element-wise tolerance; on failure the message says how many
/// elements are off, the largest difference, where it is and the two values there — never the whole tensor. Every
/// comparison is recorded in the <see cref="ParityLedger"/> so a run can report the worst error per module.
/// </summary>
public static class TensorAssert
{
    /// <summary>Asserts closeness and returns the maximum absolute difference.</summary>
    public static double Close(Tensor actual, Tensor expected, Tolerance tolerance, string module, string label)
    {
        using var scope = NewDisposeScope();
        var aShape = actual.shape; var eShape = expected.shape;
        if (!aShape.SequenceEqual(eShape))
            throw new XunitException($"{label}: shape [{string.Join(", ", aShape)}] but upstream has [{string.Join(", ", eShape)}]");
        var a = actual.detach().cpu().to(ScalarType.Float64);
        var e = expected.detach().cpu().to(ScalarType.Float64);
        var aNaN = a.isnan().any().item<bool>() || a.isinf().any().item<bool>();
        var diff = (a - e).abs();
        double maxAbs = diff.numel() == 0 ? 0 : diff.max().item<double>();
        if (aNaN) maxAbs = double.PositiveInfinity;
        double scale = e.numel() == 0 ? 0 : e.abs().max().item<double>();
        ParityLedger.Record(module, label, maxAbs, scale, tolerance);
        using var atol = tolerance.AtolAt(scale).ToScalar(); // kept-alive Scalars: see F5Parity.Torch.Scalars
        using var rtol = tolerance.Rtol.ToScalar();
        var bad = diff.gt((rtol * e.abs()).add(atol, alpha: IntOne)).logical_or(a.isnan()); // atol + rtol·|e|
        long nBad = bad.sum().item<long>();
        if (nBad == 0 && !aNaN) return maxAbs;

        long flat = diff.nan_to_num(double.PositiveInfinity).flatten().argmax().item<long>();
        var index = Unravel(flat, aShape);
        double av = a.flatten()[flat].item<double>(), ev = e.flatten()[flat].item<double>();
        var msg = new StringBuilder()
            .Append($"{label}: {nBad}/{diff.numel()} elements ({100.0 * nBad / Math.Max(1, diff.numel()):F3} %) outside {tolerance}. ")
            .Append($"Max |diff| {maxAbs:E3} = {Ulps(maxAbs, scale):G4} ulps of scale {scale:G6} (allowed {tolerance.AtolAt(scale):E3}) ")
            .Append($"at [{string.Join(", ", index)}]: actual {av:R}, upstream {ev:R}.");
        throw new XunitException(msg.ToString());
    }

    /// <summary>Asserts integer tensors (ids, lengths) are identical.</summary>
    public static void Equal(Tensor actual, Tensor expected, string module, string label) =>
        Close(actual, expected, Tolerance.Exact("integer data"), module, label);

    /// <summary>A difference in float32 ulps at a tensor's scale (ε·max|expected|).</summary>
    public static double Ulps(double diff, double scale) => scale == 0 ? (diff == 0 ? 0 : double.PositiveInfinity) : diff / (Float32Budget.Epsilon * scale);

    static long[] Unravel(long flat, long[] shape)
    {
        var idx = new long[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--) { idx[i] = flat % Math.Max(1, shape[i]); flat /= Math.Max(1, shape[i]); }
        return idx;
    }
}
