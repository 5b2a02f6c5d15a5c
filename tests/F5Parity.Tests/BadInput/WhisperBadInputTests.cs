using F5Parity.Asr;
using F5Parity.Errors;

namespace F5Parity.Tests.BadInput;

/// <summary>A Whisper model path that is wrong: checked before Whisper.net (native code) ever sees the file.</summary>
public sealed class WhisperBadInputTests : IClassFixture<BadInputFolder>
{
    readonly BadInputFolder _dir;
    public WhisperBadInputTests(BadInputFolder dir) => _dir = dir;

    [Fact]
    public void Missing_model()
    {
        var p = _dir.File("ggml-base.bin");
        BadInputFolder.ExpectFault<ConfigurationException>(() => new WhisperTranscriber(p).Dispose(), p, "does not exist");
    }

    [Fact]
    public void Not_a_ggml_model()
    {
        var p = _dir.Write("model.safetensors.bin", [.. BitConverter.GetBytes(16L), .. "{\"__metadata__\":{}}"u8]);
        BadInputFolder.ExpectFault<ConfigurationException>(() => new WhisperTranscriber(p).Dispose(), p, "not a whisper.cpp ggml model: magic");
    }

    [Fact]
    public void Gguf_model()
    {
        var p = _dir.Write("model.gguf", [.. "GGUF"u8, 3, 0, 0, 0, 0, 0, 0, 0]);
        BadInputFolder.ExpectFault<ConfigurationException>(() => new WhisperTranscriber(p).Dispose(), p, "is a GGUF file");
    }

    [Fact]
    public void Folder_instead_of_a_model()
    {
        BadInputFolder.ExpectFault<ConfigurationException>(() => new WhisperTranscriber(_dir.Path).Dispose(), _dir.Path, "is a folder");
    }
}
