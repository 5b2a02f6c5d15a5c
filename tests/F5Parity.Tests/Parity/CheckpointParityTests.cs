using System.Text.Json.Nodes;
using F5Parity.Checkpoints;
using F5Parity.Tests.TestUtilities;
using static TorchSharp.torch;

namespace F5Parity.Tests.Parity;

/// <summary>
/// Checkpoint reading against what upstream's loaders did with the same files (<c>&lt;case&gt;/loader_checks.json</c>,
/// <c>&lt;case&gt;/checkpoint_layout.json</c>): the trainer .pt's raw and EMA weights, the EMA bookkeeping, the
/// release-style .safetensors, and the use_ema=False failure on an EMA-only file.
/// </summary>
[Trait(Categories.Key, Categories.Parity)]
public sealed class CheckpointParityTests
{
    static readonly Tolerance Copy = Tolerance.Exact("weights are copied, not computed");

    static JsonObject Json(ReferenceCase c, string name) => (JsonObject)JsonNode.Parse(File.ReadAllText(c.PathOf(name)))!;

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Trainer_pt_layout_matches_upstream_listing(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var layout = Json(c, "checkpoint_layout.json");
        using var ck = TrainerCheckpoint.Read(c.TrainerCheckpointPath);

        ck.Layout.Should().Be(CheckpointLayout.TrainerPt);
        ck.Update.Should().Be(layout["update"]!.GetValue<long>());
        ck.UpdateKey.Should().Be("update");
        ck.EmaStep.Should().Be(layout["ema_step"]!.GetValue<long>());
        ck.EmaInitted.Should().Be(layout["ema_initted"]!.GetValue<bool>());
        ck.HasOptimizerState.Should().BeTrue();
        ck.HasSchedulerState.Should().BeTrue();
        AssertListing(ck.ModelStateDict!, (JsonObject)layout["model_state_dict_keys"]!);
        AssertListing(ck.EmaModelStateDict!, (JsonObject)layout["ema_model_state_dict_keys"]!);
    }

    static void AssertListing(IReadOnlyDictionary<string, Tensor> actual, JsonObject expected)
    {
        actual.Keys.Should().BeEquivalentTo(expected.Select(kv => kv.Key));
        foreach (var (key, value) in expected)
        {
            var shape = ((JsonArray)value![0]!).Select(n => n!.GetValue<long>()).ToArray();
            actual[key].shape.Should().Equal(shape, $"shape of {key}");
            actual[key].dtype.ToString().ToLowerInvariant().Should().Be(value[1]!.GetValue<string>().Replace("torch.", ""), $"dtype of {key}");
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Ema_weights_from_pt_and_safetensors_are_identical_and_differ_from_raw_as_upstream_measured(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var checks = Json(c, "loader_checks.json");
        using var pt = TrainerCheckpoint.Read(c.TrainerCheckpointPath);
        using var st = TrainerCheckpoint.Read(c.ReleaseCheckpointPath);
        st.Layout.Should().Be(CheckpointLayout.ReleaseSafetensors);

        var emaPt = pt.InferenceStateDict(useEma: true);
        var emaSt = st.InferenceStateDict(useEma: true);
        var raw = pt.InferenceStateDict(useEma: false);
        emaPt.Keys.Should().BeEquivalentTo(raw.Keys, "EMA keys without the prefix are the CFM keys");
        emaSt.Keys.Should().BeEquivalentTo(raw.Keys);

        double emaVsRaw = 0;
        foreach (var key in raw.Keys)
        {
            TensorAssert.Close(emaSt[key], emaPt[key], Copy, "checkpoint", $"{caseName}/ema safetensors vs pt/{key}");
            emaVsRaw = Math.Max(emaVsRaw, (emaPt[key] - raw[key]).abs().max().item<float>());
        }
        double expected = checks["pt_use_ema_True"]!["max_abs_diff_vs_raw"]!.GetValue<double>();
        emaVsRaw.Should().Be(expected, "upstream measured the same EMA-vs-raw distance on these files");
    }

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Raw_weights_requested_from_an_ema_only_safetensors_keep_the_prefix_like_upstream(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var checks = Json(c, "loader_checks.json");
        checks["safetensors_use_ema_False"]!["error"]!.GetValue<string>().Should().Contain("Missing key(s)");
        using var st = TrainerCheckpoint.Read(c.ReleaseCheckpointPath);
        var sd = st.InferenceStateDict(useEma: false);
        sd.Keys.Should().OnlyContain(k => k.StartsWith("ema_model.") || k == "initted" || k == "step",
            "upstream hands the EMA-only file to load_state_dict as is, and the strict load reports every CFM key missing");
    }

    [Theory]
    [MemberData(nameof(ReferenceSet.CaseNames), MemberType = typeof(ReferenceSet))]
    public void Implied_config_equals_the_case_config_on_every_determinable_option(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        using var st = TrainerCheckpoint.Read(c.ReleaseCheckpointPath);
        var implied = ImpliedConfig.FromStateDict(st.InferenceStateDict(useEma: true), c.ReleaseCheckpointPath);
        implied.Mismatches(c.Config).Should().BeEmpty();
        ImpliedConfig.Undeterminable.Should().BeEquivalentTo("text_mask_padding", "pe_attn_head");
    }
}
