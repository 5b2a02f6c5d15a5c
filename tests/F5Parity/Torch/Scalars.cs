using TorchSharp;

namespace F5Parity.Torch;

/// <summary>
/// Scalars that live as long as the process, for the number operands of tensor ops.
/// <para>
/// Why: TorchSharp 0.107 turns a C# number given where a <see cref="Scalar"/> is expected (<c>x * 0.5</c>,
/// <c>x.clamp(min: 1e-5)</c>, <c>masked_fill(m, 0.0)</c>, <c>full(n, v)</c>, <c>arange(n)</c>) into a temporary Scalar
/// with a finalizer, reads its native handle and calls libtorch — and nothing keeps the temporary alive during that
/// call. Once the JIT has optimised the caller, a GC in that window lets the finalizer thread free the native scalar
/// while libtorch is still reading it: an "Unknown scalar type" exception, or a silently wrong value
/// (dotnet/TorchSharp pull requests #1434 and #1496, open). TorchSharp also makes such temporaries itself where no
/// number is visible: <c>a + b</c> on two tensors is <c>a.add(b, alpha: 1)</c> with an implicit Scalar 1, and so is
/// <c>x + s</c> with a Scalar <c>s</c>; <c>1 - x</c> is <c>(-x).add(1)</c>; <c>x.square()</c> is <c>x.pow(2)</c>;
/// <c>nn.Mish</c> passes implicit Scalars to softplus (see <see cref="Mish"/>); <c>optim.AdamW.step</c> does the same
/// for its coefficients (see <c>F5Parity.Training.AdamW</c> in tests/F5Parity.TestSupport).
/// </para>
/// <para>
/// The rule in this project's hot paths (model, sampler, mel, vocoders, pipelines, trainer step): every tensor op
/// with a number operand gets a Scalar that is alive for the whole call. Constants are <c>static readonly</c> Scalars
/// — here when shared, beside their module otherwise — which static fields root for the life of the process, so they
/// are never finalized. Values known per call (dt, the CFG strength, an RMS, a length) are locals
/// <c>using var s = value.ToScalar();</c>: the <c>using</c> keeps them alive to the end of the block and then frees
/// them deterministically. Additions are written <c>a.add(b, alpha: IntOne)</c>. The operators <c>*</c>, <c>/</c>,
/// and <c>-</c> (tensor on the left) with a Scalar operand call libtorch directly and need nothing more.
/// </para>
/// <para>
/// Each Scalar keeps the type the implicit conversion made (a C# <c>int</c> literal gives Int32, <c>long</c> Int64,
/// <c>float</c> Float32, <c>double</c> Float64): libtorch's type promotion reads it, and results must stay bit-identical.
/// tests/F5Parity.Tests/Hygiene/ScalarLifetimeTests.cs checks that each hot path leaves no Scalar to the finalizer.
/// </para>
/// </summary>
public static class Scalars
{
    /// <summary>0 (Int32).</summary>
    public static readonly Scalar IntZero = 0.ToScalar();

    /// <summary>1 (Int32); also the <c>alpha</c> of every tensor addition (what TorchSharp's <c>+</c> passes).</summary>
    public static readonly Scalar IntOne = 1.ToScalar();

    /// <summary>2 (Int32): <c>pow(2)</c>, <c>square()</c>.</summary>
    public static readonly Scalar IntTwo = 2.ToScalar();

    /// <summary>−1 (Int32): the text padding id.</summary>
    public static readonly Scalar IntMinusOne = (-1).ToScalar();

    /// <summary>0.0 (Float64): <c>masked_fill(m, 0.0)</c>.</summary>
    public static readonly Scalar DoubleZero = 0.0.ToScalar();

    /// <summary>−∞ (Float64): masked attention scores.</summary>
    public static readonly Scalar DoubleNegativeInfinity = double.NegativeInfinity.ToScalar();
}
