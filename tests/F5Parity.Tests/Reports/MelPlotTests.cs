using F5Parity.Reports;
using F5Parity.Tests.TestUtilities;
using SkiaSharp;

namespace F5Parity.Tests.Reports;

/// <summary>The mel heatmap renders headless to a real picture.</summary>
public sealed class MelPlotTests
{
    [Fact]
    public void Upstream_reference_mel_renders_to_a_non_trivial_png()
    {
        var mel = ReferenceSet.Golden.Tensors("common/mel.safetensors")["mel_24k"]; // (1, d, n)
        var folder = Directory.CreateTempSubdirectory("f5parity-melplot-").FullName;
        try
        {
            var path = Path.Combine(folder, "mel_24k.png");
            MelPlot.SavePng(mel, path, "upstream mel_24k (log mel, 100 bins)", width: 900, height: 360);

            var bytes = File.ReadAllBytes(path);
            bytes.Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "a PNG signature");
            bytes.Length.Should().BeGreaterThan(10_000);
            using var bitmap = SKBitmap.Decode(bytes);
            bitmap.Width.Should().Be(900);
            bitmap.Height.Should().Be(360);
            // A heatmap of real speech plus axes and text: many distinct colours, not a blank or one-colour canvas.
            var colours = new HashSet<uint>();
            for (int y = 0; y < bitmap.Height; y += 2)
                for (int x = 0; x < bitmap.Width; x += 2)
                    colours.Add((uint)bitmap.GetPixel(x, y));
            colours.Count.Should().BeGreaterThan(200);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
