using F5Parity.Checkpoints;
using F5Parity.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;
using static F5Parity.Torch.Scalars;

namespace F5Parity.Tests.Diagnosis;

/// <summary>
/// Mel golden files with Verify's conventions: <c>golden/diagnosis/{Class}.{Test}_{case}.verified.safetensors</c> is
/// committed; on a mismatch (or when it is missing) the actual mel is written beside it as <c>*.received.safetensors</c>
/// (git-ignored) and the test fails saying how far and where the mel moved. <c>F5PARITY_ACCEPT=1</c> (or
/// <c>scripts/accept-golden</c>, which moves every received file over its verified file) accepts.
/// </summary>
public static class GoldenMel
{
    public const string AcceptVariable = "F5PARITY_ACCEPT";

    public static string Folder => Path.Combine(RepoPaths.Golden, "diagnosis");

    /// <summary>Compares a mel (d, n) with its verified file under <paramref name="tolerance"/>.</summary>
    public static void Verify(string name, Tensor mel, Tolerance tolerance)
    {
        var verified = Path.Combine(Folder, name + ".verified.safetensors");
        var received = Path.Combine(Folder, name + ".received.safetensors");
        var actual = mel.detach().cpu().to(ScalarType.Float32).contiguous();
        bool accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";
        if (!File.Exists(verified))
        {
            Write(accept ? verified : received, actual);
            if (accept) { if (File.Exists(received)) File.Delete(received); return; }
            throw new Xunit.Sdk.XunitException($"{name}: no verified mel yet; wrote {Path.GetFileName(received)} — inspect it, then accept with scripts/accept-golden or {AcceptVariable}=1");
        }
        var expected = SafetensorsFile.Load(verified)["mel"];
        string? problem = Compare(expected, actual, tolerance);
        if (problem is null)
        {
            if (File.Exists(received)) File.Delete(received);
            using var diff = (actual - expected).abs();
            Console.WriteLine($"{name}: max |diff| {diff.max().item<float>():g} against the verified mel (tolerance {tolerance})");
            return;
        }
        Write(accept ? verified : received, actual);
        if (accept && File.Exists(received)) File.Delete(received);
        if (!accept)
            throw new Xunit.Sdk.XunitException($"{name}: the mel moved beyond {tolerance}: {problem}. Wrote {Path.GetFileName(received)} beside the verified file; accept with scripts/accept-golden or {AcceptVariable}=1 if the change is intended.");
    }

    static void Write(string path, Tensor mel)
    {
        if (File.Exists(path)) File.Delete(path);
        SafetensorsFile.Save(path, new Dictionary<string, Tensor> { ["mel"] = mel });
    }

    /// <summary>Null when within tolerance; else the shape change, or the count, max and location of the differences.</summary>
    public static string? Compare(Tensor expected, Tensor actual, Tolerance tolerance)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
            return $"shape changed from [{string.Join(", ", expected.shape)}] to [{string.Join(", ", actual.shape)}] (frames {expected.shape[^1]} → {actual.shape[^1]})";
        using var scope = NewDisposeScope();
        var diff = (actual - expected).abs();
        using var atol = tolerance.Atol.ToScalar(); // kept-alive Scalars: see F5Parity.Torch.Scalars
        using var rtol = tolerance.Rtol.ToScalar();
        var limit = (rtol * expected.abs()).add(atol, alpha: IntOne); // atol + rtol·|expected|
        var over = diff.gt(limit);
        long count = over.sum().item<long>();
        if (count == 0) return null;
        long flat = diff.argmax().item<long>();
        long frames = expected.shape[^1];
        long bin = flat / frames, frame = flat % frames;
        var overFrames = over.any(0).nonzero().flatten();
        long first = overFrames[0].item<long>(), last = overFrames[-1].item<long>();
        var overBins = over.any(1).nonzero().flatten();
        return $"{count} of {expected.numel()} values ({100.0 * count / expected.numel():0.##} %) differ, in frames {first}–{last} and {overBins.shape[0]} of {expected.shape[0]} bins; " +
               $"max |diff| {diff.max().item<float>():g} at (bin {bin}, frame {frame}): expected {expected[bin, frame].item<float>():g}, actual {actual[bin, frame].item<float>():g}";
    }
}
