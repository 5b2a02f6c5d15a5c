using F5Parity.Model;
using F5Parity.Tests.TestUtilities;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// The tolerance policy (<see cref="Float32Budget"/>) must still reject a real port bug. Each test injects one into an
/// otherwise faithful run — a flipped audio mask, a wrong rotary head count (<c>pe_attn_head</c>), a duration one
/// frame off — and asserts that the same comparison the parity tests make fails on every reference case.
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class InjectedBugTests
{
    const string ForwardFile = "dit_forward.safetensors";
    const string SampleFile = "cfm_sample_fixed.safetensors";

    static void Rejected(Action comparison, string bug) =>
        comparison.Should().Throw<XunitException>($"the parity check must reject {bug}");

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void A_flipped_audio_mask_fails_the_forward_parity_check(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var r = c.Tensors(ForwardFile);
        var mask = r["b2_mask"];
        mask.all().item<bool>().Should().BeFalse("the batch-of-two reference pads one row, so its mask has a direction");
        using var dit = DiTForwardParityTests.LoadEmaDiT(c);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = r["b2_x"];
        var actual = dit.forward(x, r["cond"].expand(x.shape[0], -1, -1), r["b2_text"], r["b2_time"], mask: mask.flip(1));
        Rejected(() => TensorAssert.Close(actual, r["b2_out"], DiTForwardParityTests.Forward(c), "injected_bug", $"{caseName}/flipped_mask"),
            "a mask flipped along time");
    }

    [SkippableTheory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void A_wrong_rotary_head_count_fails_the_forward_parity_check(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        Skip.If(c.Config.Heads == 1, "a one-head model rotates its only head either way");
        // pe_attn_head = None rotates every head (v1), 1 only the first (v0): swap them
        var wrong = c.Config with { PeAttnHead = c.Config.PeAttnHead is null ? 1 : null };
        var r = c.Tensors(ForwardFile);
        using var dit = DiTForwardParityTests.LoadEmaDiT(c, wrong);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var actual = dit.forward(r["x"], r["cond"], r["text"], DiTForwardParityTests.ScalarTime(r));
        Rejected(() => TensorAssert.Close(actual, r["out_dropaudio0_droptext0"], DiTForwardParityTests.Forward(c), "injected_bug",
            $"{caseName}/pe_attn_head_{wrong.PeAttnHead?.ToString() ?? "all"}"), "rotary embedding on the wrong number of heads");
    }

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void A_duration_one_frame_long_fails_the_sample_parity_check(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var t = c.Tensors(SampleFile);
        var entry = t.Keys.Where(k => k.EndsWith("__out", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First()[..^"__out".Length];
        var (seed, cfg, sway) = CfmSampleParityTests.ParseEntry(entry);
        var expected = t[$"{entry}__out"];
        int steps = (int)t[$"{entry}__t"].shape[0] - 1;
        long frames = expected.shape[1];

        using var result = CaseModels.Get(c, useEma: true).Sample(t["cond"], t["text_ids"], tensor(frames + 1), new SampleOptions
        {
            Steps = steps, CfgStrength = cfg, SwaySamplingCoef = sway, Seed = seed,
        });
        // compared on the frames upstream sampled: the noise has another shape, so every generated frame moves
        var sameFrames = result.Output[.., ..(int)frames];
        Rejected(() => TensorAssert.Close(sameFrames, expected, SamplingTolerances.For(c.Config, steps, cfg).Sample, "injected_bug",
            $"{caseName}/{entry}/duration_plus_one"), "a duration one frame too long");
    }
}
