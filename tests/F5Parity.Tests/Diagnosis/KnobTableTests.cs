using System.Reflection;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Diagnosis.Runs;
using F5Parity.Tests.TestUtilities;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// The knob table (<see cref="RunSpec.Knobs"/>) is the one declaration of a knob: these tests fail when a spec property
/// has no knob (it would be missing from report.json and the ladder), when a knob names a difference that does not
/// exist, or when Describe and report.json name a value differently.
/// </summary>
public sealed class KnobTableTests
{
    static readonly RunSpec Spec = new()
    {
        Checkpoint = "/runs/a/model_100.pt", ModelConfig = ModelConfigRef.Resolve("F5TTS_v1_Base", 2546), VocabPath = "/data/a/vocab.txt",
        RefAudioPath = "/clips/ref.wav", RefText = "olá", GenText = "bom dia",
    };

    [Fact]
    public void Every_knob_has_a_unique_name_and_a_difference_that_exists()
    {
        RunSpec.Knobs.Select(k => k.Name).Should().OnlyHaveUniqueItems();
        var differences = PathDifference.All.Select(d => d.Id).ToList();
        foreach (var k in RunSpec.Knobs.Where(k => k.Difference is not null))
            differences.Should().Contain(k.Difference!, $"knob '{k.Name}' names its difference");
        foreach (var k in RunSpec.Knobs.Where(k => k.Take is null))
            k.Difference.Should().BeNull($"a derived knob ('{k.Name}') cannot be flipped, so no difference can own it");
    }

    [Fact]
    public void Every_difference_flips_at_least_one_knob()
    {
        foreach (var d in PathDifference.All) d.Knobs.Should().NotBeEmpty($"difference '{d.Id}' must flip something");
    }

    /// <summary>
    /// Each init property of <see cref="RunSpec"/> changed alone must change report.json's spec: a property added
    /// without its knob fails here.
    /// </summary>
    [Fact]
    public void Every_spec_property_reaches_report_json()
    {
        var clone = typeof(RunSpec).GetMethod("<Clone>$")!;
        var props = typeof(RunSpec).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).ToList();
        props.Should().HaveCountGreaterThan(20);
        var before = ReportWriter.SpecJson(Spec).ToJsonString();
        foreach (var p in props)
        {
            var changed = (RunSpec)clone.Invoke(Spec, null)!;
            p.SetValue(changed, Other(p.PropertyType, p.GetValue(Spec)));
            ReportWriter.SpecJson(changed).ToJsonString().Should().NotBe(before, $"RunSpec.{p.Name} must have a knob in report.json");
        }
    }

    static object? Other(Type t, object? v) => v switch
    {
        bool b => !b,
        int i => i + 1,
        long l => l + 1,
        double d => d + 0.5,
        string s => s + "-other",
        null when t == typeof(string) => "mel-id",
        null when t == typeof(double?) => 0.25,
        ModelConfigRef => ModelConfigRef.Resolve("F5TTS_Base", 2546),
        Enum e => Enum.GetValues(t).Cast<object>().First(x => !x.Equals(e)),
        _ => throw new InvalidOperationException($"no other value for {t.Name}: extend the test"),
    };

    [Fact]
    public void Describe_names_each_value_as_report_json_does()
    {
        var json = ReportWriter.SpecJson(Spec);
        var described = System.Text.RegularExpressions.Regex.Matches(Spec.Describe(), "(\\w+)=(\"[^\"]*\"|\\S+)")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim('"'));
        foreach (var k in RunSpec.Knobs.Where(k => k.Brief == KnobBrief.Value && k.Read(Spec) is string))
            described[k.Name].Should().Be(json[k.Name]!.GetValue<string>(), $"knob '{k.Name}'");
        described["checkpoint"].Should().Be("model_100.pt", "a path is shown by its file name");
        described.Should().NotContainKey("gen_text", "texts are in report.json only");
        json["duration_rule"]!.GetValue<string>().Should().Be("twice-reference");
        json["mel_spec_type"]!.GetValue<string>().Should().Be("vocos");
    }

    [Fact]
    public void Applying_every_difference_in_ladder_order_reaches_the_other_spec()
    {
        var other = Spec with
        {
            Code = SamplingCode.Infer, UseEma = true, Checkpoint = "/runs/a/model_50.pt", MelSpecType = "bigvgan",
            NormalizeRms = true, PreprocessRefAudio = true, PreprocessRefText = true, Duration = DurationRule.ByteRatio,
            Cut = F5Parity.Pipelines.OutputCut.HopFloor, NfeStep = 16, Text = TextProcessing.Raw, VocabPath = "/v2.txt", Precision = Precision.Float16,
        };
        var spec = PathDifference.All.Aggregate(Spec, (s, d) => d.Apply(s, other));
        spec.Should().Be(other);
        PathDifference.MelType.Differs(Spec, other).Should().BeTrue();
        PathDifference.MelType.Apply(Spec, other).Should().Be(Spec with { MelSpecType = "bigvgan" }, "mel-type flips only its knob");
    }

    /// <summary>The documented spec (docs/report-schema.json) and the knob table name the same keys.</summary>
    [Fact]
    public void The_report_schema_documents_every_knob_and_no_other()
    {
        var documented = ReportSchemaTests.Schema["$defs"]!["spec"]!["properties"]!.AsObject().Select(p => p.Key);
        documented.Should().BeEquivalentTo(RunSpec.Knobs.Select(k => k.Name));
        JsonSchemaSubset.Validate(ReportWriter.SpecJson(Spec), ReportSchemaTests.Schema["$defs"]!["spec"]!.AsObject()).Should().BeEmpty();
    }

    [Fact]
    public void A_hypothesis_about_a_difference_carries_it_and_its_upstream_lines()
    {
        foreach (var h in HypothesisCatalogue.All)
        {
            h.Difference.Should().NotBeNull($"hypothesis '{h.Id}' names the difference it is about");
            h.Id.Should().Be(h.Difference!.Id);
            h.Upstream.Should().Be(h.Difference.Upstream, "upstream lines are cited once, on the difference");
        }
    }
}
