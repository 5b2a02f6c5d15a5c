using System.Globalization;

namespace F5Parity.Tests.TestUtilities;

/// <summary>
/// Records every parity comparison (module, case, max |diff|, the tensor's scale max |expected|, tolerance) to <c>artifacts/parity/ledger.tsv</c>, so a
/// run can say the worst error measured per module (scripts/parity-summary prints the table).
/// </summary>
public static class ParityLedger
{
    static readonly object Gate = new();
    static readonly string FilePath = Path.Combine(RepoPaths.Artifacts, "parity", "ledger.tsv");
    static bool _started;

    public static void Record(string module, string label, double maxAbs, double scale, Tolerance tolerance)
    {
        lock (Gate)
        {
            if (!_started)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                File.WriteAllText(FilePath, "module\tlabel\tmax_abs_diff\tscale\trel_to_scale\tallowed\n");
                _started = true;
            }
            File.AppendAllText(FilePath, string.Join('\t', module, label,
                maxAbs.ToString("E3", CultureInfo.InvariantCulture),
                scale.ToString("E3", CultureInfo.InvariantCulture),
                (scale == 0 ? 0 : maxAbs / scale).ToString("E3", CultureInfo.InvariantCulture),
                tolerance.AtolAt(scale).ToString("E3", CultureInfo.InvariantCulture)) + "\n");
        }
    }
}
