using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using F5Parity.Checkpoints;
using F5Parity.Errors;
using F5Parity.Model;
using F5Parity.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// The DiT backbone of the port against upstream's own outputs (<c>&lt;case&gt;/dit_forward.safetensors</c>, produced by
/// upstream's DiT with the EMA weights of <c>&lt;case&gt;/model_4.safetensors</c>), and its state-dict layout against
/// upstream's (<c>fullsize_layout.json</c>, <c>config_mismatch.json</c>).
/// </summary>
public sealed class DiTForwardParityTests
{
    /// <summary>
    /// Same weights, same inputs, same fp32 arithmetic in the same order; what remains is float32 rounding where
    /// libtorch 2.10's CPU kernels (matmul blocking, vectorised exp/tanh) round differently from torch 1.13's.
    /// </summary>
    static readonly Tolerance Forward = Tolerance.Absolute(1e-5, "fp32 CPU, upstream's op order; only kernel rounding differs");

    const string Module = "dit";
    const string ForwardFile = "dit_forward.safetensors";
    const string CheckpointFile = "model_4.safetensors";
    const string EmaPrefix = "ema_model.transformer.";

    public static TheoryData<string> Cases() => ReferenceSet.CaseNames();

    public static TheoryData<string, bool, bool> CasesAndDropFlags()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var c in ReferenceSet.Current.Cases)
            foreach (var dropAudio in new[] { false, true })
                foreach (var dropText in new[] { false, true })
                    data.Add(c.Name, dropAudio, dropText);
        return data;
    }

    /// <summary>The case's EMA weights as upstream's <c>load_checkpoint(use_ema=True)</c> sees them, strict-loaded.</summary>
    static DiT LoadEmaDiT(ReferenceCase c, DiTConfig? config = null)
    {
        var dit = new DiT(config ?? c.Config);
        StateDictLoader.LoadStrict(dit, EmaTransformerStateDict(c), c.PathOf(CheckpointFile));
        dit.eval();
        return dit;
    }

    /// <summary><c>ema_model.transformer.*</c> with the prefix removed; <c>initted</c> and <c>step</c> (EMA bookkeeping) dropped.</summary>
    static Dictionary<string, Tensor> EmaTransformerStateDict(ReferenceCase c)
    {
        var file = SafetensorsFile.Load(c.PathOf(CheckpointFile));
        file.Keys.Where(k => k != "initted" && k != "step" && !k.StartsWith(EmaPrefix, StringComparison.Ordinal))
            .Should().BeEmpty("an EMA-only checkpoint holds ema_model.transformer.* plus initted/step");
        file.Should().ContainKeys("initted", "step");
        return file.Where(kv => kv.Key.StartsWith(EmaPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[EmaPrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>The time input: stored as [1], passed to upstream's DiT as a 0-dim tensor.</summary>
    static Tensor ScalarTime(IReadOnlyDictionary<string, Tensor> r) => r["time"].reshape([]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ema_checkpoint_loads_strictly_with_upstream_keys_and_shapes(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var sd = EmaTransformerStateDict(c);
        using var dit = new DiT(c.Config);
        var own = dit.state_dict();
        own.Keys.Should().BeEquivalentTo(sd.Keys, "the port's state-dict keys are upstream's");
        foreach (var (key, t) in own) t.shape.Should().Equal(sd[key].shape, key);
        own.Keys.Should().NotContain(k => k.EndsWith("freqs_cis"), "freqs_cis is a non-persistent buffer upstream");

        StateDictLoader.LoadStrict(dit, sd, c.PathOf(CheckpointFile));
        foreach (var (key, t) in dit.state_dict())
            TensorAssert.Close(t, sd[key], Tolerance.Exact("a loaded weight is a copy"), Module, $"{caseName}/load/{key}");
    }

    [Theory]
    [MemberData(nameof(CasesAndDropFlags))]
    public void Forward_with_drop_flags_equals_upstream(string caseName, bool dropAudioCond, bool dropText)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var r = c.Tensors(ForwardFile);
        using var dit = LoadEmaDiT(c);
        using var scope = NewDisposeScope();
        var name = $"out_dropaudio{(dropAudioCond ? 1 : 0)}_droptext{(dropText ? 1 : 0)}";
        var actual = dit.forward(r["x"], r["cond"], r["text"], ScalarTime(r), mask: null, dropAudioCond, dropText);
        TensorAssert.Close(actual, r[name], Forward, Module, $"{caseName}/{name}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cfg_infer_packs_conditional_then_unconditional_like_upstream(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var r = c.Tensors(ForwardFile);
        using var dit = LoadEmaDiT(c);
        using var scope = NewDisposeScope();
        var actual = dit.forward(r["x"], r["cond"], r["text"], ScalarTime(r), cfgInfer: true);
        TensorAssert.Close(actual, r["out_cfg_infer_packed"], Forward, Module, $"{caseName}/out_cfg_infer_packed");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Batch_of_two_with_audio_mask_and_padded_text_equals_upstream(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var r = c.Tensors(ForwardFile);
        using var dit = LoadEmaDiT(c);
        using var scope = NewDisposeScope();
        var x = r["b2_x"];
        var cond = r["cond"].expand(x.shape[0], -1, -1);
        var actual = dit.forward(x, cond, r["b2_text"], r["b2_time"], mask: r["b2_mask"]);
        TensorAssert.Close(actual, r["b2_out"], Forward, Module, $"{caseName}/b2_out");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sequence_shorter_than_text_truncates_the_text_like_upstream(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var r = c.Tensors(ForwardFile);
        using var dit = LoadEmaDiT(c);
        using var scope = NewDisposeScope();
        long n = r["short_seq8_out"].shape[1];
        r["text"].shape[1].Should().BeGreaterThan(n, "the reference exists to exercise text truncation");
        var frames = TensorIndex.Slice(0, n);
        var actual = dit.forward(r["x"][TensorIndex.Colon, frames], r["cond"][TensorIndex.Colon, frames], r["text"], ScalarTime(r));
        TensorAssert.Close(actual, r["short_seq8_out"], Forward, Module, $"{caseName}/short_seq8_out");
    }
}
