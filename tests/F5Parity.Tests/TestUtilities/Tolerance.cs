namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// A named comparison tolerance with the reason it is what it is. Element-wise,
/// |actual - expected| &lt;= Atol + Rtol·|expected| + ScaleUlps·ε·max|expected|, where the last term is
/// <see cref="Float32Budget"/>'s rule: a budget of float32 ulps at the compared tensor's own scale.
/// </summary>
public sealed record Tolerance(string Name, double Atol, double Rtol, string Reason, double ScaleUlps = 0)
{
    /// <summary>Bit-for-bit equality (integer ids, copied tensors, seeded noise).</summary>
    public static Tolerance Exact(string reason) => new("exact", 0, 0, reason);

    public static Tolerance Absolute(double atol, string reason) => new($"atol {atol:g}", atol, 0, reason);

    /// <summary>A budget of float32 ulps at the scale (max |expected|) of the compared tensor.</summary>
    public static Tolerance Ulps(double ulps, string reason) => new($"{ulps:g} ulps of scale", 0, 0, reason, ulps);

    /// <summary>The absolute bound this tolerance allows on a tensor whose largest |expected| is <paramref name="scale"/>.</summary>
    public double AtolAt(double scale) => Atol + ScaleUlps * Float32Budget.Epsilon * scale;

    public override string ToString() => $"{Name} ({Reason})";
}
