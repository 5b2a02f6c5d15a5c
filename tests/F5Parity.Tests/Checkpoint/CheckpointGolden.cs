using F5Parity.Checkpoints;
using F5Parity.Tests.Diagnosis;
using F5Parity.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Tests.Checkpoint;

/// <summary>
/// Golden files of the user's checkpoint, with Verify's conventions: <c>{name}.verified.*</c> in the folder
/// <c>F5PARITY_GOLDEN_DIR</c> names (default <c>golden/checkpoints/{checkpoint}/</c>, both against the directory
/// `dotnet test` was started from); on a mismatch or when missing, <c>{name}.received.*</c> is written beside it and
/// the row fails saying how far and where the output moved. Accept with <c>scripts/accept-golden [folder]</c> or
/// <c>F5PARITY_ACCEPT=1</c>.
/// </summary>
public static class CheckpointGolden
{
    public const string FolderVariable = "F5PARITY_GOLDEN_DIR";

    /// <summary>
    /// Stated once: the infer path's mel on the same backend is reproducible to float32 summation order; 1e-3 absolute
    /// on log-mel values (as the diagnosis goldens) covers a libtorch or driver change that only reorders sums, while a
    /// changed checkpoint, vocab or sampler moves the mel by far more (the fixtures' faults move it ≥ 10 %).
    /// </summary>
    public static readonly Tolerance Mel = Tolerance.Absolute(1e-3, "float32 summation order of the sampling steps across CPUs/libtorch builds");

    public static string Folder(string start, string checkpointName) =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } d
            ? Path.GetFullPath(d, start)
            : Path.Combine(start, "golden", "checkpoints", checkpointName);

    static bool Accept => Environment.GetEnvironmentVariable(GoldenMel.AcceptVariable) == "1";

    public static void VerifyMel(string folder, string name, Tensor mel)
    {
        var actual = mel.detach().cpu().to(ScalarType.Float32).contiguous();
        Verify(folder, name, "safetensors",
            verified => GoldenMel.Compare(SafetensorsFile.Load(verified)["mel"], actual, Mel),
            path => SafetensorsFile.Save(path, new Dictionary<string, Tensor> { ["mel"] = actual }, overwrite: true),
            $"the mel moved beyond {Mel}");
    }

    public static void VerifyText(string folder, string name, string text) =>
        Verify(folder, name, "txt",
            verified => File.ReadAllText(verified) == text + "\n" ? null : $"expected \"{File.ReadAllText(verified).TrimEnd('\n')}\", got \"{text}\"",
            path => File.WriteAllText(path, text + "\n"),
            "the transcript changed");

    static void Verify(string folder, string name, string ext, Func<string, string?> compare, Action<string> write, string what)
    {
        Directory.CreateDirectory(folder);
        var verified = Path.Combine(folder, $"{name}.verified.{ext}");
        var received = Path.Combine(folder, $"{name}.received.{ext}");
        string? problem = File.Exists(verified) ? compare(verified) : "no verified file yet";
        if (problem is null) { if (File.Exists(received)) File.Delete(received); return; }
        if (Accept) { write(verified); if (File.Exists(received)) File.Delete(received); return; }
        write(received);
        throw new Xunit.Sdk.XunitException($"{verified}: {what}: {problem}. Wrote {received} beside it; inspect it, then accept with `scripts/accept-golden {folder}` or {GoldenMel.AcceptVariable}=1 if the change is intended.");
    }
}
