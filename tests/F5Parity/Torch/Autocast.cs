using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace F5Parity.Torch;

/// <summary>
/// An emulation of <c>torch.autocast("cuda", dtype=float16|bfloat16)</c>, which TorchSharp 0.107 lacks. Upstream's trainer
/// logs its samples inside <c>with torch.inference_mode(), self.accelerator.autocast():</c> (model/trainer.py), which is
/// that context when accelerate runs with mixed precision. The weights stay float32; op by op torch casts the inputs,
/// following its CUDA op lists (aten/src/ATen/autocast_mode.h, <c>AT_FORALL_LOWER_PRECISION_FP</c> and
/// <c>AT_FORALL_FP32*</c>):
/// <list type="bullet">
/// <item>lower-precision list (<c>linear</c>, <c>conv1d</c>, <c>matmul</c>, <c>bmm</c>, <c>addmm</c>, <c>einsum</c>,
/// <c>scaled_dot_product_attention</c>, ...): every floating input (weights and bias included) is cast to the low dtype
/// and the result has the low dtype. <see cref="Linear"/>, <see cref="Conv1d"/>, <see cref="MatMul"/>,
/// <see cref="LowerPrecision"/>.</item>
/// <item>fp32 list (<c>layer_norm</c>, <c>group_norm</c>, <c>exp</c>, <c>log</c>, <c>pow</c>, <c>rsqrt</c>, ...) and the
/// fp32-dtype lists (<c>softmax</c>, <c>log_softmax</c>, <c>sum</c>, <c>cumsum</c>, <c>norm</c>,
/// <c>linalg_vector_norm</c>, ...): low-precision inputs are cast to float32 and the op runs (and returns) float32.
/// <see cref="Fp32"/>; a LayerNorm is <c>norm.call(Autocast.Fp32(x))</c>.</item>
/// <item>everything else (elementwise arithmetic, activations, cat, masked_fill, embedding, ...) runs in its inputs'
/// promoted dtype — which TorchSharp's own type promotion (libtorch's) already does, so those ops need no helper.</item>
/// </list>
/// How a lower-precision op is computed here: its floating inputs are rounded to the low dtype, the op is evaluated in
/// float32 on those rounded values, and the result is rounded once to the low dtype. That is the arithmetic of the CUDA
/// tensor-core kernels the trainer runs (products of two fp16/bf16 values are exact in float32, sums accumulate in
/// float32, one rounding on output); it keeps the emulation independent of libtorch's CPU fp16/bf16 kernels.
/// Fused kernels may round intermediate values once more (flash-attention rounds the softmax probabilities to the low
/// dtype before P·V): such differences are of the order of one low-precision rounding of the output.
/// <para>
/// The scope is ambient and thread-static: <c>using (Autocast.Enable(ScalarType.BFloat16)) { ... }</c>; nesting
/// restores the previous state; <see cref="Suspend"/> mirrors <c>autocast(enabled=False)</c>. With no scope active every
/// helper does exactly what the plain call does (the same call on the same tensors), so fp32 results are bit-identical.
/// </para>
/// <para>
/// There is no upstream reference output under autocast (the reference folder was produced on CPU in float32): this
/// emulation follows torch's op lists and is checked against explicit casts written out by hand, not against upstream.
/// </para>
/// </summary>
public static class Autocast
{
    [ThreadStatic] static ScalarType? _dtype;

    /// <summary>The active low dtype (float16 or bfloat16), or null when no autocast scope is active on this thread.</summary>
    public static ScalarType? Dtype => _dtype;

    /// <summary>Opens an autocast scope with <paramref name="dtype"/> (float16 or bfloat16) until the result is disposed.</summary>
    public static Scope Enable(ScalarType dtype)
    {
        if (dtype is not (ScalarType.Float16 or ScalarType.BFloat16))
            throw new ArgumentException($"autocast runs in float16 or bfloat16, not {dtype}", nameof(dtype));
        return Set(dtype);
    }

    /// <summary>
    /// <see cref="Enable(ScalarType)"/> when <paramref name="dtype"/> is set; null leaves the current state as it is (the
    /// scope then changes nothing), so an option left unset inherits an enclosing scope.
    /// </summary>
    public static Scope Enable(ScalarType? dtype) => dtype is ScalarType d ? Enable(d) : Set(_dtype);

    /// <summary>No autocast until the result is disposed: <c>torch.autocast("cuda", enabled=False)</c>.</summary>
    public static Scope Suspend() => Set(null);

    static Scope Set(ScalarType? dtype)
    {
        var scope = new Scope(_dtype);
        _dtype = dtype;
        return scope;
    }

    /// <summary>Restores the state that was active when the scope was opened.</summary>
    public sealed class Scope : IDisposable
    {
        readonly ScalarType? _previous;
        bool _disposed;

        internal Scope(ScalarType? previous) => _previous = previous;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _dtype = _previous;
        }
    }

    /// <summary>
    /// Whether autocast casts <paramref name="t"/> (torch's <c>is_eligible</c>): a floating-point tensor that is not
    /// float64. Integer, boolean and complex tensors are never cast.
    /// </summary>
    public static bool IsEligible(Tensor t) => t.is_floating_point() && t.dtype != ScalarType.Float64;

    /// <summary>
    /// The value a lower-precision op sees: <paramref name="t"/> cast to <paramref name="low"/> and held in float32
    /// (exactly representable there) for the float32 evaluation; ineligible tensors are returned as they are.
    /// </summary>
    static Tensor Rounded(Tensor t, ScalarType low) => IsEligible(t) ? t.to(low).to(ScalarType.Float32) : t;

    /// <summary>
    /// Input of an op on the fp32 lists: a float16/bfloat16 tensor cast to float32 when a scope is active; otherwise (or
    /// for any other dtype) the same tensor object.
    /// </summary>
    public static Tensor Fp32(Tensor x) =>
        _dtype is not null && IsEligible(x) && x.dtype != ScalarType.Float32 ? x.to(ScalarType.Float32) : x;

    /// <summary><c>Linear</c> (lower-precision list). No scope: <c>m.call(x)</c>.</summary>
    /// <param name="x">... d_in.</param>
    /// <returns>... d_out, in the low dtype inside a scope.</returns>
    public static Tensor Linear(Linear m, Tensor x)
    {
        if (_dtype is null) return m.call(x);
        return LowerPrecision(i => nn.functional.linear(i[0]!, i[1]!, i[2]), x, m.weight, m.bias);
    }

    /// <summary><c>Conv1d</c> with zero padding (lower-precision list). No scope: <c>m.call(x)</c>.</summary>
    /// <param name="x">b c_in n.</param>
    /// <returns>b c_out n', in the low dtype inside a scope.</returns>
    public static Tensor Conv1d(Conv1d m, Tensor x)
    {
        if (_dtype is null) return m.call(x);
        if (m.padding_mode != PaddingModes.Zeros || m.padding_type is not null || m.padding is not [long padding])
            throw new NotSupportedException($"autocast Conv1d: padding mode {m.padding_mode} / {m.padding_type} is not emulated (zero padding with explicit sizes only)");
        return LowerPrecision(i => nn.functional.conv1d(i[0]!, i[1]!, i[2], stride: m.stride[0], padding: padding, dilation: m.dilation[0], groups: m.groups),
            x, m.weight, m.bias);
    }

    /// <summary><c>torch.matmul(a, b)</c> (lower-precision list). No scope: <c>matmul(a, b)</c>.</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (_dtype is null) return matmul(a, b);
        return LowerPrecision(i => matmul(i[0]!, i[1]!), a, b);
    }

    /// <summary>
    /// Any op on the lower-precision list given as a function of its tensor inputs (e.g. a fused
    /// <c>scaled_dot_product_attention</c>, or a convolution computed by <see cref="Im2ColConv1d"/>). No scope:
    /// <c>op(inputs)</c> on the tensors as given. Inside a scope: <c>op</c> on the inputs rounded to the low dtype (held
    /// in float32), its result rounded to the low dtype. Null inputs (an absent bias) stay null.
    /// </summary>
    public static Tensor LowerPrecision(Func<IReadOnlyList<Tensor?>, Tensor> op, params Tensor?[] inputs)
    {
        if (_dtype is not ScalarType low) return op(inputs);
        using var scope = NewDisposeScope();
        var rounded = inputs.Select(t => t is null ? null : Rounded(t, low)).ToArray();
        return op(rounded).to(low).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Calls a module with the policy of its kind: <see cref="Linear"/>, <see cref="Conv1d"/>, LayerNorm on
    /// <see cref="Fp32"/> input, a Sequential child by child (so the Linear/Conv1d inside containers are cast too, with
    /// the container — and so the state-dict keys — unchanged); any other module (activations, dropout) as it is. No
    /// scope: <c>m.call(x)</c>.
    /// </summary>
    public static Tensor Call(nn.IModule<Tensor, Tensor> m, Tensor x)
    {
        if (_dtype is null) return m.call(x);
        switch (m)
        {
            case TorchSharp.Modules.Linear linear: return Linear(linear, x);
            case TorchSharp.Modules.Conv1d conv: return Conv1d(conv, x);
            case LayerNorm norm: return norm.call(Fp32(x));
            case Sequential { Count: > 0 } seq:
                using (var scope = NewDisposeScope())
                {
                    var h = x;
                    for (int i = 0; i < seq.Count; i++) h = Call(seq[i], h);
                    return h.MoveToOuterDisposeScope();
                }
            default: return m.call(x);
        }
    }
}
