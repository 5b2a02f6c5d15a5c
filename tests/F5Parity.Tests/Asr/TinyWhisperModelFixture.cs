using F5Parity.Asr;

namespace F5Parity.Tests.Asr;

/// <summary>
/// Writes the project's tiny random-weight whisper ggml model (<see cref="GgmlWhisperHParams.Tiny"/>) once per test
/// class into a temporary folder (about a second; nothing is committed) and deletes it afterwards.
/// </summary>
public sealed class TinyWhisperModelFixture : IDisposable
{
    public TinyWhisperModelFixture()
    {
        Folder = Directory.CreateTempSubdirectory("f5parity-whisper-").FullName;
        ModelPath = Path.Combine(Folder, "ggml-f5parity-tiny-random.bin");
        GgmlWhisperModelWriter.Write(ModelPath, GgmlWhisperHParams.Tiny, seed: 0);
    }

    public string Folder { get; }
    public string ModelPath { get; }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
