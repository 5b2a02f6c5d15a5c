using System.Globalization;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Records every parity comparison (module, case, max |diff|, tolerance) to <c>artifacts/parity/ledger.tsv</c>, so a
/// run can say the worst error measured per module (scripts/parity-summary prints the table).
/// </summary>
public static class ParityLedger
{
    static readonly object Gate = new();
    static readonly string FilePath = Path.Combine(RepoPaths.Artifacts, "parity", "ledger.tsv");
    static bool _started;

    public static void Record(string module, string label, double maxAbs, Tolerance tolerance)
    {
        lock (Gate)
        {
            if (!_started)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                File.WriteAllText(FilePath, "module\tlabel\tmax_abs_diff\tatol\trtol\n");
                _started = true;
            }
            File.AppendAllText(FilePath, string.Join('\t', module, label,
                maxAbs.ToString("E3", CultureInfo.InvariantCulture),
                tolerance.Atol.ToString("g", CultureInfo.InvariantCulture),
                tolerance.Rtol.ToString("g", CultureInfo.InvariantCulture)) + "\n");
        }
    }
}
