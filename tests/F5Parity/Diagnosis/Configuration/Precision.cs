using F5Parity.Diagnosis.Runs;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Diagnosis.Quality;
using F5Parity.Diagnosis.Reporting;
using static TorchSharp.torch;

namespace F5Parity.Diagnosis.Configuration;

/// <summary>
/// The precision a path runs in: the whole model (weights, noise, time grid) in one dtype, or float32 weights under
/// autocast (mixed precision, see <see cref="Torch.Autocast"/>).
/// </summary>
public enum Precision
{
    Float32,
    /// <summary>What <c>load_checkpoint</c> picks on CUDA devices of compute capability >= 7 (utils_infer.py:191-199).</summary>
    Float16,
    BFloat16,
    /// <summary>
    /// float32 weights, sampled (and vocoded) under <c>torch.autocast(dtype=float16)</c>: the trainer's log-sample block
    /// when accelerate runs with <c>mixed_precision = "fp16"</c> (model/trainer.py, <c>accelerator.autocast()</c>).
    /// </summary>
    AutocastFloat16,
    /// <summary>The same with <c>mixed_precision = "bf16"</c>: autocast to bfloat16.</summary>
    AutocastBFloat16,
}

/// <summary>Conversions of <see cref="Precision"/>.</summary>
public static class PrecisionExtensions
{
    /// <summary>The dtype of the WEIGHTS (and so of the noise, the time grid and the ODE state): float32 under autocast.</summary>
    public static ScalarType ToScalarType(this Precision p) => p switch
    {
        Precision.Float16 => ScalarType.Float16,
        Precision.BFloat16 => ScalarType.BFloat16,
        _ => ScalarType.Float32,
    };

    /// <summary>The autocast dtype (float16 / bfloat16) for the autocast precisions, null for the others.</summary>
    public static ScalarType? AutocastDtype(this Precision p) => p switch
    {
        Precision.AutocastFloat16 => ScalarType.Float16,
        Precision.AutocastBFloat16 => ScalarType.BFloat16,
        _ => null,
    };

    /// <summary>The name used in configuration and reports: float32, float16, bfloat16, autocast-float16, autocast-bfloat16.</summary>
    public static string ToName(this Precision p) => p switch
    {
        Precision.AutocastFloat16 => "autocast-float16",
        Precision.AutocastBFloat16 => "autocast-bfloat16",
        _ => p.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Reads a precision name. Whole-model dtypes: <c>float32</c>/<c>fp32</c>/<c>f32</c>, <c>float16</c>/<c>fp16</c>/<c>half</c>,
    /// <c>bfloat16</c>/<c>bf16</c>. Mixed precision (float32 weights under autocast): <c>autocast-float16</c>,
    /// <c>autocast-fp16</c>, <c>fp16-mixed</c>, <c>16-mixed</c> and <c>autocast-bfloat16</c>, <c>autocast-bf16</c>,
    /// <c>bf16-mixed</c> (the last spellings are Lightning's precision names). accelerate's <c>mixed_precision</c> values
    /// map as <c>no</c> → float32, <c>fp16</c> → write <c>fp16-mixed</c>, <c>bf16</c> → write <c>bf16-mixed</c>: a bare
    /// <c>fp16</c>/<c>bf16</c> keeps meaning cast weights (the inference dtype setting uses the same names).
    /// </summary>
    public static Precision Parse(string text, string source) => text.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" or "no" => Precision.Float32,
        "float16" or "fp16" or "half" => Precision.Float16,
        "bfloat16" or "bf16" => Precision.BFloat16,
        "autocast-float16" or "autocast-fp16" or "fp16-mixed" or "16-mixed" => Precision.AutocastFloat16,
        "autocast-bfloat16" or "autocast-bf16" or "bf16-mixed" => Precision.AutocastBFloat16,
        _ => throw new Errors.ConfigurationException(source,
            $"dtype '{text}': expected float32, float16, bfloat16, autocast-float16 (fp16-mixed) or autocast-bfloat16 (bf16-mixed)"),
    };
}
