using static TorchSharp.torch;

namespace F5Parity.Diagnosis;

/// <summary>The dtype the whole model (weights, noise, time grid) runs in.</summary>
public enum Precision
{
    Float32,
    /// <summary>What <c>load_checkpoint</c> picks on CUDA devices of compute capability >= 7 (utils_infer.py:191-199).</summary>
    Float16,
    BFloat16,
}

/// <summary>Conversions of <see cref="Precision"/>.</summary>
public static class PrecisionExtensions
{
    public static ScalarType ToScalarType(this Precision p) => p switch
    {
        Precision.Float16 => ScalarType.Float16,
        Precision.BFloat16 => ScalarType.BFloat16,
        _ => ScalarType.Float32,
    };

    /// <summary>The name used in configuration and reports: float32, float16, bfloat16.</summary>
    public static string ToName(this Precision p) => p.ToString().ToLowerInvariant();

    public static Precision Parse(string text, string source) => text.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => Precision.Float32,
        "float16" or "fp16" or "half" => Precision.Float16,
        "bfloat16" or "bf16" => Precision.BFloat16,
        _ => throw new Errors.ConfigurationException(source, $"dtype '{text}': expected float32, float16 or bfloat16"),
    };
}
