using System.Text.RegularExpressions;

namespace F5Parity.RunFiles;

/// <summary>
/// One pair the trainer logged at a save (model/trainer.py <c>log_samples</c>): <c>samples/update_&lt;N&gt;_gen.wav</c>
/// (what the online model said) and <c>update_&lt;N&gt;_ref.wav</c> (the vocoded reference mel it re-spoke).
/// </summary>
public sealed record TrainerSample(long Update, string GenWav, string? RefWav)
{
    static readonly Regex Gen = new(@"^update_(\d+)_gen\.wav$", RegexOptions.Compiled);

    /// <summary>Every <c>update_N_gen.wav</c> under <paramref name="samplesFolder"/>, by update.</summary>
    public static IReadOnlyList<TrainerSample> Find(string samplesFolder)
    {
        if (!Directory.Exists(samplesFolder)) return [];
        return Directory.EnumerateFiles(samplesFolder, "update_*_gen.wav")
            .Select(f => (File: f, M: Gen.Match(Path.GetFileName(f))))
            .Where(x => x.M.Success)
            .Select(x =>
            {
                long n = long.Parse(x.M.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var refWav = Path.Combine(samplesFolder, $"update_{n}_ref.wav");
                return new TrainerSample(n, x.File, File.Exists(refWav) ? refWav : null);
            })
            .OrderBy(s => s.Update).ToList();
    }
}
