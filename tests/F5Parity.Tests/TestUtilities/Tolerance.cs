namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// A named comparison tolerance: |actual - expected| &lt;= Atol + Rtol * |expected| element-wise, with the reason it is
/// what it is. Each parity test states its tolerance once, beside the test, through one of these.
/// </summary>
public sealed record Tolerance(string Name, double Atol, double Rtol, string Reason)
{
    /// <summary>Bit-for-bit equality (integer ids, copied tensors, seeded noise).</summary>
    public static Tolerance Exact(string reason) => new("exact", 0, 0, reason);

    public static Tolerance Absolute(double atol, string reason) => new($"atol {atol:g}", atol, 0, reason);

    public override string ToString() => $"{Name} ({Reason})";
}
