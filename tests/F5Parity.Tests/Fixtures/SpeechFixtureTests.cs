using System.Diagnostics;
using System.Security.Cryptography;
using F5Parity.Tests.TestUtilities;
using NAudio.Wave;

namespace F5Parity.Tests.Fixtures;

/// <summary>
/// fixtures/speech: the pt-BR clips scripts/make-speech-fixtures.sh makes with espeak-ng and sox. Every clip listed
/// in transcripts.tsv must exist, be 24 kHz mono 16-bit PCM and match SHA256SUMS; the set must cover what it is for
/// (accents, Ô/Õ, a quiet clip, a clip over 12 s); and the script must regenerate it byte for byte.
/// </summary>
public sealed class SpeechFixtureTests
{
    static readonly string Folder = Path.Combine(RepoPaths.Fixtures, "speech");

    sealed record Row(string File, string Text, string Purpose);

    static IReadOnlyList<Row> Rows()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "transcripts.tsv"));
        lines[0].Should().Be("file\ttext\tpurpose");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split('\t');
            cells.Should().HaveCount(3, $"transcripts.tsv row \"{l}\" has file, text and purpose");
            return new Row(cells[0], cells[1], cells[2]);
        }).ToList();
    }

    public static TheoryData<string> Clips()
    {
        var data = new TheoryData<string>();
        foreach (var r in Rows()) data.Add(r.File);
        return data;
    }

    [Theory]
    [MemberData(nameof(Clips))]
    public void Clip_is_24_khz_mono_16_bit_pcm(string file)
    {
        var path = Path.Combine(Folder, file);
        File.Exists(path).Should().BeTrue($"{file} is listed in transcripts.tsv");
        using var reader = new WaveFileReader(path);
        reader.WaveFormat.Encoding.Should().Be(WaveFormatEncoding.Pcm);
        reader.WaveFormat.SampleRate.Should().Be(24000);
        reader.WaveFormat.Channels.Should().Be(1);
        reader.WaveFormat.BitsPerSample.Should().Be(16);
        reader.SampleCount.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Every_listed_file_matches_SHA256SUMS()
    {
        var sums = ReadSums(Path.Combine(Folder, "SHA256SUMS"));
        sums.Keys.Should().Contain("transcripts.tsv").And.Contain(Rows().Select(r => r.File));
        foreach (var (file, expected) in sums)
            Sha256(Path.Combine(Folder, file)).Should().Be(expected, $"{file} must be the bytes the script made");
    }

    [Fact]
    public void Set_covers_accents_the_missing_capitals_a_quiet_clip_and_a_long_clip()
    {
        var rows = Rows();
        var text = string.Concat(rows.Select(r => r.Text));
        foreach (var c in "çãõáéíóúâêôàÔÕ") text.Should().Contain(c.ToString());

        var shorts = rows.Where(r => r.Purpose.StartsWith("short sentence")).ToList();
        shorts.Count.Should().BeInRange(12, 16);
        foreach (var r in shorts) Seconds(r.File).Should().BeInRange(2.0, 4.0, $"{r.File} is a short sentence");

        var quiet = rows.Should().ContainSingle(r => r.Purpose.StartsWith("quiet")).Which;
        Rms(quiet.File).Should().BeLessThan(0.05, "the quiet clip exercises upstream's RMS < 0.1 loudness path");
        foreach (var r in shorts) Rms(r.File).Should().BeGreaterThan(0.05, $"{r.File} is spoken at normal level");

        var longClip = rows.Should().ContainSingle(r => r.Purpose.StartsWith("long")).Which;
        Seconds(longClip.File).Should().BeGreaterThan(12, "the long clip exercises upstream's 12 s reference clipping");

        var bytes = Directory.GetFiles(Folder).Sum(f => new FileInfo(f).Length);
        bytes.Should().BeLessThan(4L << 20, "fixtures/speech stays under 4 MB");
    }

    [SkippableFact]
    public void Script_regenerates_the_set_byte_for_byte()
    {
        foreach (var tool in new[] { "espeak-ng", "sox" })
            Skip.If(!OnPath(tool), $"{tool} is not installed (apt-get install -y espeak-ng sox): cannot regenerate fixtures/speech");

        var output = Directory.CreateTempSubdirectory("f5parity-speech-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "make-speech-fixtures.sh"));
            start.ArgumentList.Add(output);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit(120_000).Should().BeTrue("the script takes a few seconds");
            process.ExitCode.Should().Be(0, stderr.Result);

            var committed = ReadSums(Path.Combine(Folder, "SHA256SUMS"));
            var regenerated = ReadSums(Path.Combine(output, "SHA256SUMS"));
            var differing = committed.Keys.Union(regenerated.Keys)
                .Where(k => committed.GetValueOrDefault(k) != regenerated.GetValueOrDefault(k)).ToList();
            differing.Should().BeEmpty(
                $"the script must reproduce the committed bytes; committed with [{File.ReadAllText(Path.Combine(Folder, "TOOLS")).Trim().ReplaceLineEndings("; ")}], " +
                $"regenerated with [{File.ReadAllText(Path.Combine(output, "TOOLS")).Trim().ReplaceLineEndings("; ")}]");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    static Dictionary<string, string> ReadSums(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0)
            .Select(l => l.Split("  ", 2))
            .ToDictionary(p => p[1], p => p[0]);

    static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static double Seconds(string file)
    {
        using var reader = new WaveFileReader(Path.Combine(Folder, file));
        return reader.TotalTime.TotalSeconds;
    }

    static double Rms(string file)
    {
        using var reader = new WaveFileReader(Path.Combine(Folder, file));
        var provider = reader.ToSampleProvider();
        var buffer = new float[4096];
        double sum = 0; long n = 0; int read;
        while ((read = provider.Read(buffer.AsSpan())) > 0)
            for (int i = 0; i < read; i++) { sum += buffer[i] * (double)buffer[i]; n++; }
        return Math.Sqrt(sum / n);
    }

    static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
