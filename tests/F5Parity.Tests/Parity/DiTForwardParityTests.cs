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
[Trait(Categories.Key, Categories.Parity)]
public sealed class DiTForwardParityTests
{
    /// <summary>
    /// Same weights, same inputs, same fp32 arithmetic in the same order; what remains is float32 rounding where
    /// libtorch 2.10's CPU kernels (matmul blocking, vectorised exp/tanh) round differently from torch 1.13's:
    /// one pass of the case's depth under <see cref="Float32Budget"/>.
    /// </summary>
    internal static Tolerance Forward(ReferenceCase c) => Float32Budget.Pass(c.Config.Depth, "one DiT forward");

    const string Module = "dit";
    const string ForwardFile = "dit_forward.safetensors";
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
    internal static DiT LoadEmaDiT(ReferenceCase c, DiTConfig? config = null)
    {
        var dit = new DiT(config ?? c.Config);
        StateDictLoader.LoadStrict(dit, EmaTransformerStateDict(c), c.ReleaseCheckpointPath);
        dit.eval();
        return dit;
    }

    /// <summary><c>ema_model.transformer.*</c> with the prefix removed; <c>initted</c> and <c>step</c> (EMA bookkeeping) dropped.</summary>
    static Dictionary<string, Tensor> EmaTransformerStateDict(ReferenceCase c)
    {
        var file = SafetensorsFile.Load(c.ReleaseCheckpointPath);
        file.Keys.Where(k => k != "initted" && k != "step" && !k.StartsWith(EmaPrefix, StringComparison.Ordinal))
            .Should().BeEmpty("an EMA-only checkpoint holds ema_model.transformer.* plus initted/step");
        file.Should().ContainKeys("initted", "step");
        return file.Where(kv => kv.Key.StartsWith(EmaPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[EmaPrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>The time input: stored as [1], passed to upstream's DiT as a 0-dim tensor.</summary>
    internal static Tensor ScalarTime(IReadOnlyDictionary<string, Tensor> r) => r["time"].reshape([]);

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

        StateDictLoader.LoadStrict(dit, sd, c.ReleaseCheckpointPath);
        foreach (var (key, t) in dit.state_dict())
            TensorAssert.Close(t, sd[key], Tolerance.Exact("a loaded weight is a copy"), "dit_load", $"{caseName}/{key}");
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
        TensorAssert.Close(actual, r[name], Forward(c), Module, $"{caseName}/{name}");
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
        TensorAssert.Close(actual, r["out_cfg_infer_packed"], Forward(c), Module, $"{caseName}/out_cfg_infer_packed");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cached_text_embeddings_give_the_uncached_result(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        var r = c.Tensors(ForwardFile);
        using var dit = LoadEmaDiT(c);
        using var scope = NewDisposeScope();
        for (int call = 0; call < 2; call++) // the first call fills the cache, the second reads it
        {
            var actual = dit.forward(r["x"], r["cond"], r["text"], ScalarTime(r), cfgInfer: true, cache: true);
            TensorAssert.Close(actual, r["out_cfg_infer_packed"], Forward(c), Module, $"{caseName}/out_cfg_infer_packed/cached_{call}");
        }
        dit.ClearCache();
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
        TensorAssert.Close(actual, r["b2_out"], Forward(c), Module, $"{caseName}/b2_out");
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
        TensorAssert.Close(actual, r["short_seq8_out"], Forward(c), Module, $"{caseName}/short_seq8_out");
    }

    [SkippableFact]
    public void Full_size_state_dict_layout_equals_upstream_for_v1_and_v0_configs()
    {
        var path = ReferenceSet.Current.PathOf("fullsize_layout.json");
        Skip.IfNot(File.Exists(path), $"{path} not found: this reference folder lists no full-size state-dict layout");
        var layout = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var expected = layout["F5TTS_v1_Base_shapes"]!.AsObject()
            .ToDictionary(kv => kv.Key["transformer.".Length..], kv => kv.Value!.AsArray().Select(d => d!.GetValue<long>()).ToArray());
        // The listing was made with the vocabulary its text_embed.weight holds (n_tokens + 1 rows), not a fixed 2545.
        int textNumEmbeds = (int)expected["text_embed.text_embed.weight"][0] - 1;

        var listings = new Dictionary<string, List<string>>();
        foreach (var (name, config) in new[]
                 {
                     ("F5TTS_v1_Base", DiTConfig.F5TTS_v1_Base(textNumEmbeds)),
                     ("F5TTS_Base", DiTConfig.F5TTS_Base(textNumEmbeds)),
                 })
        {
            using var dit = new DiT(config, new Device(DeviceType.META));
            var sd = dit.state_dict();
            var summary = layout[name]!.AsObject();
            sd.Count.Should().Be(summary["n_state_dict_tensors"]!.GetValue<int>(), $"{name}: number of state-dict tensors");
            dit.parameters().Sum(p => p.numel()).Should().Be(summary["n_params"]!.GetValue<long>(), $"{name}: number of parameters");
            var buffers = dit.named_buffers(include_nonpersistent: false).Select(b => "transformer." + b.name);
            buffers.Should().BeEquivalentTo(summary["buffers_in_state_dict"]!.AsArray().Select(b => b!.GetValue<string>()), name);
            sd.Keys.Should().NotContain(k => k.EndsWith("freqs_cis"), "freqs_cis is a non-persistent buffer upstream");

            listings[name] = sd.Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]").Order(StringComparer.Ordinal).ToList();
        }
        var expectedListing = expected.Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value)}]").Order(StringComparer.Ordinal);
        listings["F5TTS_v1_Base"].Should().Equal(expectedListing, "the port's full-size state dict is upstream's, key for key");
        layout["identical_key_and_shape_sets_v1_vs_v0"]!.GetValue<bool>().Should().BeTrue();
        listings["F5TTS_Base"].Should().Equal(listings["F5TTS_v1_Base"], "v0 and v1 differ in computation, not in tensors");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dropout_acts_in_train_mode_only(string caseName)
    {
        var c = ReferenceSet.Current.Case(caseName);
        c.Config.Dropout.Should().BeGreaterThan(0, "the case must have dropout for this test to mean anything");
        var r = c.Tensors(ForwardFile);
        using var dit = LoadEmaDiT(c);
        using var scope = NewDisposeScope();
        Tensor Run() => dit.forward(r["x"], r["cond"], r["text"], ScalarTime(r));

        var eval1 = Run();
        var eval2 = Run();
        TensorAssert.Close(eval2, eval1, Tolerance.Exact("eval mode is deterministic"), Module, $"{caseName}/dropout/eval_repeat");

        dit.train();
        manual_seed(0);
        var train1 = Run();
        var train2 = Run();
        (train1 - eval1).abs().max().item<float>().Should().BeGreaterThan(1e-3f, "dropout changes the output in train mode");
        (train2 - train1).abs().max().item<float>().Should().BeGreaterThan(1e-3f, "each train-mode call draws a new dropout mask");

        dit.eval();
        TensorAssert.Close(Run(), r["out_dropaudio0_droptext0"], Forward(c), Module, $"{caseName}/dropout/eval_after_train");

        using var noDropout = LoadEmaDiT(c, c.Config with { Dropout = 0 });
        noDropout.train();
        var trainWithoutDropout = noDropout.forward(r["x"], r["cond"], r["text"], ScalarTime(r));
        TensorAssert.Close(trainWithoutDropout, eval1, Tolerance.Exact("with p = 0 train mode computes what eval mode does"),
            Module, $"{caseName}/dropout/p0_train");
    }

    /// <summary>The "load checkpoint X into config Y" experiments of <c>config_mismatch.json</c> (theory rows = its keys).</summary>
    public static TheoryData<string> ConfigMismatches()
    {
        var data = new TheoryData<string>();
        if (File.Exists(ReferenceSet.Current.PathOf("config_mismatch.json")))
            foreach (var (key, _) in ConfigMismatchJson()) if (ParseMismatch(key) is not null) data.Add(key);
        if (data.Count == 0) data.Add(NoMismatchData); // a row that skips, so the theory still reports why
        return data;
    }

    static JsonObject ConfigMismatchJson() =>
        JsonNode.Parse(File.ReadAllText(ReferenceSet.Current.PathOf("config_mismatch.json")))!.AsObject();

    /// <summary>"ckpt_v1__into_cfg_v0", "ckpt_v1__into_v1_with_dim_head=64", "ckpt_v1__into_text_num_embeds+1".</summary>
    static (string Checkpoint, Func<DiTConfig> Target)? ParseMismatch(string key)
    {
        var m = Regex.Match(key, @"^ckpt_(?<ckpt>[^_]+)__into_(?<target>.+)$");
        if (!m.Success) return null;
        string ckpt = m.Groups["ckpt"].Value, target = m.Groups["target"].Value;
        if (ReferenceSet.Current.Cases.All(c => c.Name != ckpt)) return null;
        DiTConfig Own() => ReferenceSet.Current.Case(ckpt).Config;
        if (target.StartsWith("cfg_")) return (ckpt, () => ReferenceSet.Current.Case(target["cfg_".Length..]).Config);
        if (target == "text_num_embeds+1") return (ckpt, () => Own() with { TextNumEmbeds = Own().TextNumEmbeds + 1 });
        var w = Regex.Match(target, @"^(?<case>[^_]+)_with_(?<arg>[a-z_]+)=(?<value>.+)$");
        if (!w.Success) return null;
        return (ckpt, () =>
        {
            var caseConfig = ReferenceSet.Current.Case(w.Groups["case"].Value);
            var kwargs = JsonNode.Parse(File.ReadAllText(caseConfig.PathOf("model_config.json")))!["DiT_kwargs"]!.AsObject();
            string value = w.Groups["value"].Value;
            kwargs[w.Groups["arg"].Value] = value switch
            {
                "True" => true, "False" => false, "None" => null,
                _ when long.TryParse(value, out _) => JsonNode.Parse(value), // parsed, so it reads back as int
                _ => value,
            };
            return DiTConfig.FromKwargs(kwargs, "config_mismatch.json") with
            {
                TextNumEmbeds = caseConfig.Config.TextNumEmbeds, MelDim = caseConfig.Config.MelDim,
            };
        });
    }

    const string NoMismatchData = "(none)";

    [SkippableTheory]
    [MemberData(nameof(ConfigMismatches))]
    public void Loading_into_another_config_succeeds_or_fails_like_upstream(string experiment)
    {
        Skip.If(experiment == NoMismatchData, "this reference folder has no config_mismatch.json naming its cases");
        var upstream = ConfigMismatchJson()[experiment]!.GetValue<string>();
        var (ckpt, target) = ParseMismatch(experiment)!.Value;
        var c = ReferenceSet.Current.Case(ckpt);
        var path = c.ReleaseCheckpointPath;
        using var dit = new DiT(target());
        var load = () => StateDictLoader.LoadStrict(dit, EmaTransformerStateDict(c), path);

        if (upstream.StartsWith("loaded", StringComparison.Ordinal))
        {
            load.Should().NotThrow(upstream);
            return;
        }
        upstream.Should().StartWith("RuntimeError", "the experiment either loaded or failed");
        var error = load.Should().Throw<CheckpointFormatException>().Which;
        error.Source.Should().Be(path, "the error names the checkpoint file");
        // Every complete key upstream's message names (its text is cut at 500 characters) is named by the port too.
        var named = Regex.Matches(upstream, @"""transformer\.([^""]+)""|size mismatch for transformer\.([^:]+):")
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
        named.Should().NotBeEmpty();
        foreach (var key in named) error.Fault.Should().Contain(key);
        if (upstream.Contains("Missing key(s)")) error.Fault.Should().Contain("missing key(s)");
        if (upstream.Contains("Unexpected key(s)")) error.Fault.Should().Contain("unexpected key(s)");
        if (upstream.Contains("size mismatch")) error.Fault.Should().Contain("size mismatch");
    }

    [Fact]
    public void Average_upsampling_loads_but_refuses_to_run()
    {
        var c = ReferenceSet.Current.Cases[0];
        var r = c.Tensors(ForwardFile);
        using var dit = LoadEmaDiT(c, c.Config with { TextEmbeddingAverageUpsampling = true, TextMaskPadding = true });
        var run = () => dit.forward(r["x"], r["cond"], r["text"], ScalarTime(r));
        run.Should().Throw<NotSupportedException>().WithMessage("*average_upsampling*");
    }
}
