using F5Parity.Diagnosis;
using F5Parity.Diagnosis.Configuration;
using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using F5Parity.Errors;
using F5Parity.Tests.Model;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// <see cref="Precision"/>: whole-model dtypes and the two mixed-precision (autocast) ones, their names, the weight
/// dtype and autocast dtype each stands for, and that the diagnosis <see cref="Runner"/> samples the autocast ones with
/// float32 weights under the scope on both paths.
/// </summary>
public sealed class PrecisionTests(ITestOutputHelper output)
{
    public static TheoryData<string, Precision> Names() => new()
    {
        { "float32", Precision.Float32 }, { "fp32", Precision.Float32 }, { "no", Precision.Float32 },
        { "float16", Precision.Float16 }, { "fp16", Precision.Float16 }, { "half", Precision.Float16 },
        { "bfloat16", Precision.BFloat16 }, { "bf16", Precision.BFloat16 },
        { "autocast-float16", Precision.AutocastFloat16 }, { "fp16-mixed", Precision.AutocastFloat16 }, { "16-mixed", Precision.AutocastFloat16 },
        { "autocast-bfloat16", Precision.AutocastBFloat16 }, { " BF16-Mixed ", Precision.AutocastBFloat16 }, { "autocast-bf16", Precision.AutocastBFloat16 },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Names_parse_to_their_precision(string text, Precision expected) =>
        PrecisionExtensions.Parse(text, "trainingDtype").Should().Be(expected);

    [Fact]
    public void Every_precision_round_trips_through_its_name_and_names_its_weight_and_autocast_dtypes()
    {
        var table = new Dictionary<Precision, (string Name, ScalarType Weights, ScalarType? Autocast)>
        {
            [Precision.Float32] = ("float32", ScalarType.Float32, null),
            [Precision.Float16] = ("float16", ScalarType.Float16, null),
            [Precision.BFloat16] = ("bfloat16", ScalarType.BFloat16, null),
            [Precision.AutocastFloat16] = ("autocast-float16", ScalarType.Float32, ScalarType.Float16),
            [Precision.AutocastBFloat16] = ("autocast-bfloat16", ScalarType.Float32, ScalarType.BFloat16),
        };
        table.Keys.Should().BeEquivalentTo(Enum.GetValues<Precision>(), "every precision is in the table");
        foreach (var (p, (name, weights, autocast)) in table)
        {
            p.ToName().Should().Be(name);
            PrecisionExtensions.Parse(name, "dtype").Should().Be(p, "a report's name reads back");
            p.ToScalarType().Should().Be(weights, $"{name}: weight dtype");
            p.AutocastDtype().Should().Be(autocast, $"{name}: autocast dtype");
        }
    }

    [Fact]
    public void Unknown_name_is_a_configuration_error_naming_the_setting_and_the_choices()
    {
        var act = () => PrecisionExtensions.Parse("fp8", "trainingDtype");
        var e = act.Should().Throw<ConfigurationException>().Which;
        e.Source.Should().Be("trainingDtype");
        e.Fault.Should().Contain("fp8").And.Contain("autocast-bfloat16").And.Contain("bf16-mixed");
    }

    [Fact]
    public void Training_dtype_variable_selects_autocast_for_the_trainer_path()
    {
        var env = new Dictionary<string, string?> { ["F5PARITY_TRAIN_DTYPE"] = "bf16-mixed" };
        var paths = DiagnosisConfig.Load(DiagnosisSession.DefaultConfigFile, env, "/").ToPaths(_ => 113);
        paths.Trainer.Precision.Should().Be(Precision.AutocastBFloat16);
        paths.Infer.Precision.Should().Be(Precision.Float32, "dtype auto on the CPU is upstream's float32");
    }

    [Fact]
    public void Runner_samples_autocast_specs_with_float32_weights_under_the_scope_on_both_paths()
    {
        var d = DiagnosisSession.Diagnoser;
        foreach (var fp32Spec in new[] { d.Paths.Trainer with { Precision = Precision.Float32 }, d.Paths.Infer with { Precision = Precision.Float32 } })
        {
            var fp32 = d.Runner.Run(fp32Spec);
            fp32.Error.Should().BeNull();
            foreach (var p in new[] { Precision.AutocastBFloat16, Precision.AutocastFloat16 })
            {
                var spec = fp32Spec with { Precision = p };
                var mixed = d.Runner.Run(spec);
                mixed.Error.Should().BeNull($"{spec.Describe()} must run");
                d.Runner.Model(spec).WeightDType.Should().Be(ScalarType.Float32, "autocast keeps the weights in float32");
                mixed.Output!.GenMel.isfinite().all().item<bool>().Should().BeTrue();

                using var scope = NewDisposeScope();
                var a = mixed.Output.GenMel.to(ScalarType.Float64);
                var b = fp32.Output!.GenMel.to(ScalarType.Float64);
                double rel = (a - b).norm().item<double>() / b.norm().item<double>();
                double u = AutocastTests.UnitRoundoff(p.AutocastDtype()!.Value);
                output.WriteLine($"{fp32Spec.Code} {p.ToName()}: generated mel vs float32 rel L2 {rel:E3} ({rel / u:F2} u)");
                rel.Should().BeGreaterThan(u / 16, "the Runner must pass the autocast dtype to the path");
                rel.Should().BeLessThan(AutocastTests.RoundoffUnits * u, "a whole N-step sample under autocast stays near float32");
            }
        }
    }
}
