namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// The tolerance policy of every computed parity comparison, stated once.
/// <para>
/// Unit: one float32 ulp at the compared tensor's scale, ε·max|expected| with ε = 2^-23. Two correct float32
/// evaluations of the same formula differ by rounding, and rounding is relative to the magnitudes being summed, so
/// an absolute tolerance is too loose on small tensors and fails correct ports on large ones (a wider or deeper
/// model has larger activations). Measuring against the tensor's scale, not each element, keeps values that cancel
/// to near zero from demanding more precision than their inputs carried.
/// </para>
/// <para>
/// Budget: <see cref="UlpsPerBlock"/> ulps per residual block. A DiT block chains about eight rounding sites at its
/// output's scale (q/k/v/out and two feed-forward GEMMs, the softmax, the adaptive norms, the residual add); a
/// different kernel (torch 1.13 + OpenBLAS vs libtorch 2.10, another blocking, vectorised exp/tanh) may round each
/// of them one ulp the other way, so one block may differ by up to 8 ulps and a pass of depth L by 8·(L + 2) (the
/// +2: input embedding and output norm/projection). Errors of successive passes add: an N-step Euler sample with
/// classifier-free guidance (v = pred + (pred - null)·cfg, which scales the two passes' errors by 1 + cfg and cfg)
/// is allowed N·(1 + 2·cfg) passes.
/// </para>
/// <para>
/// Check, not fit: upstream's own float32 noise at full size (shared reference-base MANIFEST, F5TTS_v1_Base, depth 22,
/// N=256) is 1.19e-6 = 3.7 ulps of scale between 1- and 2-thread GEMMs and 1.85e-6 = 5.7 ulps against float64, where
/// this policy allows 8·24 = 192; a port bug (a flipped mask, a wrong rotary head count, an off-by-one duration) moves
/// outputs by 1e-2..1 of their scale, 10^4..10^5 ulps (tests/F5Parity.Tests/Parity/InjectedBugTests.cs).
/// </para>
/// </summary>
public static class Float32Budget
{
    /// <summary>float32 machine epsilon: the spacing of float32 numbers at 1.0.</summary>
    public const double Epsilon = 1.0 / (1 << 23);

    /// <summary>Rounding sites per residual block, each allowed one ulp of difference (see the class summary).</summary>
    public const int UlpsPerBlock = 8;

    /// <summary>One forward pass through <paramref name="depth"/> residual blocks plus input and output layers.</summary>
    public static double PassUlps(int depth) => UlpsPerBlock * (depth + 2);

    /// <summary>An Euler sample of <paramref name="steps"/> steps with CFG strength <paramref name="cfg"/>.</summary>
    public static double SampleUlps(int depth, int steps, double cfg) => steps * (1 + 2 * Math.Abs(cfg)) * PassUlps(depth);

    public static Tolerance Pass(int depth, string what) =>
        Tolerance.Ulps(PassUlps(depth), $"{what}: one float32 pass of depth {depth}, {UlpsPerBlock} ulps of scale per block (Float32Budget)");

    public static Tolerance Sample(int depth, int steps, double cfg, string what) =>
        Tolerance.Ulps(SampleUlps(depth, steps, cfg),
            $"{what}: {steps} Euler steps x (1 + 2 x cfg {cfg:g}) passes of depth {depth} (Float32Budget)");
}
