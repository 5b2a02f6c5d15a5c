using F5Parity.Audio;
using F5Parity.Checkpoints;
using F5Parity.Model;
using F5Parity.Pipelines;
using F5Parity.Tests.Parity;
using F5Parity.Tests.TestUtilities;
using F5Parity.Text;
using F5Parity.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace F5Parity.Tests.Model;

/// <summary>
/// The <see cref="Autocast"/> emulation of the trainer's <c>accelerator.autocast()</c>. There is no upstream reference
/// output under autocast (the references are float32 CPU runs), so these tests check the emulation against explicit
/// casts written out by hand, check that with no scope nothing changes, and measure how far mixed precision moves the
/// DiT, a sample and a decode from float32 — and that it is not the same thing as casting the whole model.
/// </summary>
public sealed class AutocastTests(ITestOutputHelper output)
{
    /// <summary>No active scope: the helpers make the very calls the modules made before, on the same tensors.</summary>
    static readonly Tolerance Unchanged = Tolerance.Exact("no active autocast scope: the same calls on the same tensors");

    /// <summary>The emulation against the same casts and float32 ops written out by hand.</summary>
    static readonly Tolerance SameCasts = Tolerance.Exact("the same casts and the same float32 ops, written out by hand");

    /// <summary>Unit roundoff of the low dtype: 2^-8 for bfloat16 (8 significant bits), 2^-11 for float16 (11).</summary>
    internal static double UnitRoundoff(ScalarType low) => low == ScalarType.BFloat16 ? 1.0 / 256 : 1.0 / 2048;

    /// <summary>
    /// Bound on the relative L2 distance of a mixed-precision result to the float32 one, in units of the low dtype's
    /// unit roundoff u. Each cast rounds with relative error ≤ u, mostly independently, and the errors of a few dozen
    /// roundings partly average out: measured on the reference cases (both dtypes) 0.65-1.27 u for one cfg-packed DiT
    /// pass, 0.83-1.05 u for an 8-step CFG sample, 1.29-1.40 u for a Vocos decode, 0.7-1.5 u for the diagnosis's
    /// 8-step trainer and infer runs. The bound is 4 u, about three times the largest measurement; a path that ignored the
    /// scope measures 0, which the lower bound (u/16) catches.
    /// </summary>
    internal const double RoundoffUnits = 4;

    const string DiTFile = "dit_forward.safetensors";
    const string SampleFile = "cfm_sample_fixed.safetensors";

    public static TheoryData<string, string> CasesAndDtypes()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in ReferenceSet.Golden.Cases)
            foreach (var d in new[] { "bfloat16", "float16" }) data.Add(c.Name, d);
        return data;
    }

    public static TheoryData<string> Dtypes() => new() { "bfloat16", "float16" };

    public static TheoryData<string> CaseNames() => ReferenceSet.GoldenCaseNames();

    static ScalarType Low(string name) => name == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float16;

    /// <summary>What a lower-precision op sees: the value rounded to the low dtype, held in float32.</summary>
    static Tensor R(Tensor t, ScalarType low) => t.to(low).to(ScalarType.Float32);

    static double RelL2(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var a64 = a.to(ScalarType.Float64);
        var b64 = b.to(ScalarType.Float64);
        return (a64 - b64).norm().item<double>() / b64.norm().item<double>();
    }

    static bool Finite(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.to(ScalarType.Float32).isfinite().all().item<bool>();
    }

    static CFM LoadEma(ReferenceCase c, ScalarType dtype = ScalarType.Float32)
    {
        var model = ModelLoader.Load(c.Config, c.ReleaseCheckpointPath, useEma: true, dtype);
        model.eval();
        return model;
    }

    [Fact]
    public void Scopes_nest_restore_the_previous_state_and_stay_on_their_thread()
    {
        Autocast.Dtype.Should().BeNull("no scope is open");
        using (Autocast.Enable(ScalarType.Float16))
        {
            Autocast.Dtype.Should().Be(ScalarType.Float16);
            using (Autocast.Enable(ScalarType.BFloat16)) Autocast.Dtype.Should().Be(ScalarType.BFloat16);
            Autocast.Dtype.Should().Be(ScalarType.Float16, "closing the inner scope restores the outer one");
            using (Autocast.Suspend()) Autocast.Dtype.Should().BeNull("autocast(enabled=False)");
            using (Autocast.Enable((ScalarType?)null)) Autocast.Dtype.Should().Be(ScalarType.Float16, "an unset option inherits");
            ScalarType? elsewhere = ScalarType.Float32;
            var thread = new Thread(() => elsewhere = Autocast.Dtype);
            thread.Start();
            thread.Join();
            elsewhere.Should().BeNull("the scope is thread-static");
        }
        Autocast.Dtype.Should().BeNull();
        var wrong = () => Autocast.Enable(ScalarType.Float32);
        wrong.Should().Throw<ArgumentException>().WithMessage("*float16 or bfloat16*");
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Inside_a_scope_linear_and_matmul_give_the_low_dtype_and_layer_norm_float32(string dtype)
    {
        var low = Low(dtype);
        using var scope = NewDisposeScope();
        manual_seed(0);
        using var linear = nn.Linear(32, 48);
        using var norm = nn.LayerNorm(48, eps: 1e-6);
        using (no_grad()) { norm.weight!.copy_(randn(48)); norm.bias!.copy_(randn(48)); }
        var x = randn(2, 5, 32) * 3;
        var fp32 = linear.call(x);

        using (Autocast.Enable(low))
        {
            var y = Autocast.Linear(linear, x);
            y.dtype.Should().Be(low);
            TensorAssert.Close(y, F.linear(R(x, low), R(linear.weight!, low), R(linear.bias!, low)).to(low), SameCasts,
                "autocast", $"linear/{dtype}");
            (y.to(ScalarType.Float32) - fp32).abs().max().item<float>().Should().BeGreaterThan(0, "the casts round");
            Autocast.Call(linear, x).dtype.Should().Be(low, "Call dispatches a Linear to the lower-precision policy");

            var normed = Autocast.Call(norm, y);
            normed.dtype.Should().Be(ScalarType.Float32, "layer_norm is on the fp32 list");
            TensorAssert.Close(normed, norm.call(y.to(ScalarType.Float32)), SameCasts, "autocast", $"layer_norm/{dtype}");

            Autocast.MatMul(x, x.transpose(1, 2)).dtype.Should().Be(low);
            var ids = tensor(new long[] { 1, 2 });
            Autocast.Fp32(ids).Should().BeSameAs(ids, "integer tensors are not eligible for autocast");
        }
        Autocast.Fp32(x.to(low)).dtype.Should().Be(low, "no scope: Fp32 returns its input as it is");
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void FeedForward_under_autocast_equals_the_explicit_casts(string dtype)
    {
        var low = Low(dtype);
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var ff = new FeedForward(64, mult: 2, approximate: TorchSharp.Modules.GELU.Approximate.tanh);
        ff.eval();
        var p = ff.named_parameters().ToDictionary(kv => kv.name, kv => (Tensor)kv.parameter);
        var x = randn(1, 16, 64) * 3;
        var fp32 = ff.call(x);

        Tensor actual;
        using (Autocast.Enable(low)) actual = ff.call(x);

        // ff = Sequential(Sequential(Linear, GELU(tanh)), Dropout, Linear): both Linears cast, GELU in the low dtype
        var h = F.linear(R(x, low), R(p["ff.0.0.weight"], low), R(p["ff.0.0.bias"], low)).to(low);
        using var gelu = nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh);
        h = gelu.call(h);
        h.dtype.Should().Be(low);
        var expected = F.linear(R(h, low), R(p["ff.2.weight"], low), R(p["ff.2.bias"], low)).to(low);

        actual.dtype.Should().Be(low);
        TensorAssert.Close(actual, expected, SameCasts, "autocast", $"feed_forward/{dtype}");
        RelL2(actual, fp32).Should().BeGreaterThan(0, "autocast changes the result");
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void ConvNeXtV2Block_under_autocast_equals_the_explicit_casts(string dtype)
    {
        var low = Low(dtype);
        using var scope = NewDisposeScope();
        manual_seed(2);
        const long dim = 32;
        using var block = new ConvNeXtV2Block(dim, dim * 2);
        block.eval();
        var p = block.named_parameters().ToDictionary(kv => kv.name, kv => (Tensor)kv.parameter);
        using (no_grad())
            foreach (var name in new[] { "grn.gamma", "grn.beta", "norm.weight", "norm.bias" }) p[name].copy_(randn_like(p[name]));
        var x = randn(1, 24, dim);

        Tensor actual;
        using (Autocast.Enable(low)) actual = block.call(x);

        // dwconv (lower precision) -> LayerNorm (fp32) -> Linear (low) -> GELU (low) -> GRN: its norm in fp32, the
        // float32 gamma promotes to float32 -> Linear (low) -> residual add promotes to float32
        var h = F.conv1d(R(x.transpose(1, 2), low), R(p["dwconv.weight"], low), R(p["dwconv.bias"], low), padding: 3, groups: dim)
            .to(low).transpose(1, 2);
        h = F.layer_norm(h.to(ScalarType.Float32), [dim], p["norm.weight"], p["norm.bias"], 1e-6);
        h = F.linear(R(h, low), R(p["pwconv1.weight"], low), R(p["pwconv1.bias"], low)).to(low);
        using var gelu = nn.GELU();
        h = gelu.call(h);
        var gx = h.to(ScalarType.Float32).norm(1, keepdim: true, p: 2);
        var nx = gx / (gx.mean([-1], keepdim: true) + 1e-6);
        h = p["grn.gamma"] * (h * nx) + p["grn.beta"] + h;
        h.dtype.Should().Be(ScalarType.Float32, "the float32 GRN parameters promote");
        h = F.linear(R(h, low), R(p["pwconv2.weight"], low), R(p["pwconv2.bias"], low)).to(low);
        var expected = x + h;

        actual.dtype.Should().Be(ScalarType.Float32, "float32 residual + low-precision branch");
        TensorAssert.Close(actual, expected, SameCasts, "autocast", $"convnextv2_block/{dtype}");
        RelL2(actual, block.call(x)).Should().BeGreaterThan(0, "autocast changes the result");
    }

    [Theory]
    [MemberData(nameof(CasesAndDtypes))]
    public void Outside_a_scope_the_DiT_is_bit_identical_and_a_suspended_scope_is_off(string caseName, string dtype)
    {
        var c = ReferenceSet.Golden.Case(caseName);
        var r = c.Tensors(DiTFile);
        using var model = LoadEma(c);
        using var scope = NewDisposeScope();
        var time = r["time"].reshape([]);
        Tensor Run() => model.transformer.forward(r["x"], r["cond"], r["text"], time);

        var before = Run();
        using (Autocast.Enable(Low(dtype))) Run().dtype.Should().Be(Low(dtype));
        TensorAssert.Close(Run(), before, Unchanged, "autocast_off", $"{caseName}/after_scope/{dtype}");
        using (Autocast.Enable((ScalarType?)null))
            TensorAssert.Close(Run(), before, Unchanged, "autocast_off", $"{caseName}/inactive_scope/{dtype}");
        using (Autocast.Enable(Low(dtype)))
        using (Autocast.Suspend())
            TensorAssert.Close(Run(), before, Unchanged, "autocast_off", $"{caseName}/suspended/{dtype}");
    }

    [Theory]
    [MemberData(nameof(CasesAndDtypes))]
    public void DiT_forward_under_autocast_is_close_to_float32_and_not_the_half_precision_model(string caseName, string dtype)
    {
        var low = Low(dtype);
        var c = ReferenceSet.Golden.Case(caseName);
        var r = c.Tensors(DiTFile);
        using var model = LoadEma(c);
        using var half = LoadEma(c, low);
        using var scope = NewDisposeScope();
        var time = r["time"].reshape([]);

        var fp32 = model.transformer.forward(r["x"], r["cond"], r["text"], time, cfgInfer: true);
        Tensor mixed;
        using (Autocast.Enable(low)) mixed = model.transformer.forward(r["x"], r["cond"], r["text"], time, cfgInfer: true);
        var whole = half.transformer.forward(r["x"].to(low), r["cond"].to(low), r["text"], time.to(low), cfgInfer: true);

        double toFp32 = RelL2(mixed, fp32), wholeToFp32 = RelL2(whole, fp32), toWhole = RelL2(mixed, whole);
        double u = UnitRoundoff(low);
        output.WriteLine($"{caseName} {dtype} DiT (cfg-packed): autocast vs fp32 rel L2 {toFp32:E3} ({toFp32 / u:F2} u), " +
                         $"whole-model {dtype} vs fp32 {wholeToFp32:E3} ({wholeToFp32 / u:F2} u), autocast vs whole-model {toWhole:E3} ({toWhole / u:F2} u)");

        mixed.dtype.Should().Be(low, "proj_out is a Linear: the DiT returns the low dtype under autocast");
        Finite(mixed).Should().BeTrue();
        toFp32.Should().BeLessThan(RoundoffUnits * u, "mixed precision stays within a few roundoff units of float32");
        toFp32.Should().BeGreaterThan(u / 16, "the scope must actually change the arithmetic");
        toWhole.Should().BeGreaterThan(u / 4, "autocast (float32 weights, fp32 norms) is not model.to(half)");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void CFM_sample_under_autocast_is_float32_and_close_to_the_float32_sample(string caseName)
    {
        var c = ReferenceSet.Golden.Case(caseName);
        var t = c.Tensors(SampleFile);
        // the CFG entry with sway: what both upstream paths use (the cfg 0 entries do not exercise the CFG combination)
        var entry = t.Keys.Where(k => k.EndsWith("__out", StringComparison.Ordinal)).Select(k => k[..^"__out".Length]).Order()
            .First(e => CfmSampleParityTests.ParseEntry(e) is (_, > 0, not null));
        var (seed, cfg, sway) = CfmSampleParityTests.ParseEntry(entry);
        var options = new SampleOptions
        {
            Steps = (int)t[$"{entry}__t"].shape[0] - 1, CfgStrength = cfg, SwaySamplingCoef = sway, Seed = seed,
        };
        long condFrames = t["cond"].shape[1];
        var duration = tensor(t[$"{entry}__y0"].shape[1]);
        var model = CaseModels.Get(c, useEma: true);
        using var fp32 = model.Sample(t["cond"], t["text_ids"], duration, options);

        foreach (var dtype in new[] { "bfloat16", "float16" })
        {
            var low = Low(dtype);
            using var mixed = model.Sample(t["cond"], t["text_ids"], duration, options with { Autocast = low });
            Autocast.Dtype.Should().BeNull("the sample's scope closes with it");
            mixed.Output.dtype.Should().Be(ScalarType.Float32, "the ODE state keeps the weights' dtype");
            mixed.FirstStepOutput.dtype.Should().Be(low, "the DiT itself ran under autocast");
            TensorAssert.Close(mixed.Y0, fp32.Y0, Unchanged, "autocast_sample", $"{caseName}/{dtype}/noise");
            TensorAssert.Close(mixed.T, fp32.T, Unchanged, "autocast_sample", $"{caseName}/{dtype}/time_grid");
            Finite(mixed.Output).Should().BeTrue();

            using var scope = NewDisposeScope();
            var generated = TensorIndex.Slice(condFrames);
            double toFp32 = RelL2(mixed.Output[TensorIndex.Colon, generated], fp32.Output[TensorIndex.Colon, generated]);
            double u = UnitRoundoff(low);
            output.WriteLine($"{caseName} {dtype} {entry} ({options.Steps} steps, generated frames): " +
                             $"autocast vs fp32 rel L2 {toFp32:E3} ({toFp32 / u:F2} u)");
            toFp32.Should().BeLessThan(RoundoffUnits * u, "mixed precision stays within a few roundoff units of float32");
            toFp32.Should().BeGreaterThan(u / 16, "the scope must actually change the arithmetic");
        }
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Mel_of_a_wave_under_autocast_takes_the_filterbank_product_in_the_low_dtype(string dtype)
    {
        var low = Low(dtype);
        var wav = ReferenceSet.Golden.Tensors("common/mel.safetensors")["wav_24k"]; // shared: loaded outside the scope
        using var scope = NewDisposeScope();
        using var melSpec = new MelSpec();
        var fp32 = melSpec.Forward(wav);
        Tensor mixed;
        using (Autocast.Enable(low)) mixed = melSpec.Forward(wav);

        // |stft| in float32, the filterbank matmul (lower precision), clamp in the low dtype, log (fp32 list)
        var window = hann_window(melSpec.WinLength, periodic: true, dtype: ScalarType.Float32);
        var spec = stft(wav, melSpec.NFft, hop_length: melSpec.HopLength, win_length: melSpec.WinLength, window: window,
            center: true, pad_mode: PaddingModes.Reflect, normalized: false, onesided: true, return_complex: true).abs();
        var product = matmul(R(spec.transpose(-1, -2), low), R(melSpec.FilterBank, low)).to(low).transpose(-1, -2);
        var expected = product.clamp(min: MelSpec.LogFloor).to(ScalarType.Float32).log();

        mixed.dtype.Should().Be(ScalarType.Float32, "log is on the fp32 list");
        TensorAssert.Close(mixed, expected, SameCasts, "autocast", $"mel/{dtype}");
        double maxLog = (mixed - fp32).abs().max().item<float>();
        output.WriteLine($"{dtype} mel of wav_24k: autocast vs fp32 max |Δ log mel| {maxLog:E3}, rel L2 {RelL2(mixed, fp32):E3}");
        maxLog.Should().BeGreaterThan(0, "the filterbank product is rounded");
        // A bin's linear value moves by at most ~3u relative (its two rounded inputs and the rounded sum of positive
        // terms), i.e. ~3u absolute in log, on log values of magnitude 1-11; float16 subnormals just above the 1e-5 floor
        // move more (measured max 5.4e-3 there) but are few. So the relative L2 of the log-mel stays well below u.
        RelL2(mixed, fp32).Should().BeLessThan(UnitRoundoff(low), "the rounded filterbank product moves the log-mel by less than u in L2");
    }

    /// <summary>Rows are dtypes only: the vocoder and the block structure do not depend on the case (the first is used).</summary>
    [Theory]
    [MemberData(nameof(Dtypes))]
    public void Trainer_path_decodes_inside_the_autocast_block(string dtype)
    {
        var low = Low(dtype);
        var c = ReferenceSet.Golden.Cases[0];
        var caseName = c.Name;
        var model = CaseModels.Get(c, useEma: false);
        var vocoder = CaseModels.VocoderOf(ReferenceSet.Golden);
        var datasetMel = ReferenceSet.Golden.Tensors("common/mel.safetensors")["mel_24k"]; // shared: loaded outside the scope
        using var scope = NewDisposeScope();
        var tokens = PythonStr.CodePoints(ReferenceSet.Golden.Transcript);
        var options = new TrainerSampleOptions { NfeStep = 4, ManualSeed = 0, DurationFrames = datasetMel.shape[^1] + 32 };

        var plain = TrainerSamplePath.Run(model, CaseModels.VocabOf(ReferenceSet.Golden), vocoder, datasetMel, tokens, options);
        var mixed = TrainerSamplePath.Run(model, CaseModels.VocabOf(ReferenceSet.Golden), vocoder, datasetMel, tokens, options with { Autocast = low });

        mixed.Sample.Output.dtype.Should().Be(ScalarType.Float32);
        Finite(mixed.GenWave).Should().BeTrue();
        Tensor insideScope, refInside;
        using (Autocast.Enable(low)) { insideScope = vocoder.Decode(mixed.GenMel); refInside = vocoder.Decode(datasetMel); }
        TensorAssert.Close(mixed.GenWave, insideScope, SameCasts, "autocast", $"{caseName}/{dtype}/trainer_gen_wave");
        TensorAssert.Close(mixed.RefWave, refInside, SameCasts, "autocast", $"{caseName}/{dtype}/trainer_ref_wave");

        double u = UnitRoundoff(low);
        double decodeToFp32 = RelL2(mixed.RefWave, plain.RefWave);
        output.WriteLine($"{caseName} {dtype} Vocos decode of the dataset mel: autocast vs fp32 rel L2 {decodeToFp32:E3} ({decodeToFp32 / u:F2} u)");
        decodeToFp32.Should().BeLessThan(RoundoffUnits * u, "the vocoder under autocast stays within a few roundoff units");
        decodeToFp32.Should().BeGreaterThan(u / 16, "the decode ran under the scope");
    }
}
