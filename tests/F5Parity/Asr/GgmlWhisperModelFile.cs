using System.Text;
using F5Parity.Errors;

namespace F5Parity.Asr;

/// <summary>
/// Reads and checks the structure of a whisper.cpp ggml model file before it reaches native code: the magic
/// 0x67676d6c, plausible hyper-parameters, the mel-filter block, the vocabulary and every tensor record
/// (dims, name, data size) fitting inside the file. whisper.cpp trusts these sizes (it allocates what the file says),
/// so a wrong or truncated file must be refused here, with a <see cref="ConfigurationException"/> naming the path and
/// the fault, and never handed to Whisper.net.
/// </summary>
public static class GgmlWhisperModelFile
{
    /// <summary>"ggml" as the little-endian uint32 at offset 0 (bytes 6c 6d 67 67).</summary>
    public const uint Magic = 0x67676d6c;

    const uint GgufMagic = 0x46554747; // "GGUF"
    const int MaxTokenBytes = 1 << 16;
    const int MaxNameBytes = 1 << 10;

    /// <summary>Validates <paramref name="path"/> and returns its hyper-parameters and tensor count.</summary>
    public static GgmlWhisperModelInfo Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ConfigurationException("whisper model", "no model path was given");
        if (Directory.Exists(path)) throw new ConfigurationException(path, "is a folder, not a whisper.cpp ggml model file");
        if (!File.Exists(path)) throw new ConfigurationException(path, "whisper model file does not exist");

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var reader = new Reader(stream, path);
        long length = stream.Length;
        if (length < 4) throw new ConfigurationException(path, $"not a whisper.cpp ggml model: the file has {length} bytes, too short for the ggml magic");

        uint magic = reader.UInt32("the magic");
        if (magic == GgufMagic)
            throw new ConfigurationException(path, "is a GGUF file; whisper.cpp (Whisper.net) loads the legacy ggml format (magic 0x67676d6c), e.g. ggml-base.bin");
        if (magic != Magic)
            throw new ConfigurationException(path, $"not a whisper.cpp ggml model: magic 0x{magic:x8}, expected 0x{Magic:x8}");

        var values = new int[11];
        for (int i = 0; i < values.Length; i++) values[i] = reader.Int32("the hyper-parameters");
        var hp = GgmlWhisperHParams.FromArray(values);
        CheckHParams(path, hp);

        int nMel = reader.Int32("the mel filters"), nFft = reader.Int32("the mel filters");
        if (nMel <= 0 || nFft <= 0 || nMel > 1024 || nFft > 65536)
            throw new ConfigurationException(path, $"implausible mel filter block: n_mel = {nMel}, n_fft = {nFft}");
        reader.Skip(4L * nMel * nFft, "the mel filters");

        int nTokens = reader.Int32("the vocabulary");
        if (nTokens < 0 || nTokens > hp.NVocab)
            throw new ConfigurationException(path, $"implausible vocabulary size {nTokens} (n_vocab = {hp.NVocab})");
        for (int i = 0; i < nTokens; i++)
        {
            uint len = reader.UInt32($"vocabulary token {i}");
            if (len > MaxTokenBytes) throw new ConfigurationException(path, $"vocabulary token {i} claims {len} bytes");
            reader.Skip(len, $"vocabulary token {i}");
        }

        int tensors = 0;
        while (stream.Position < length)
        {
            string where = $"tensor record {tensors}";
            int nDims = reader.Int32(where), nameLength = reader.Int32(where), type = reader.Int32(where);
            if (nDims < 1 || nDims > 4) throw new ConfigurationException(path, $"{where}: {nDims} dimensions (whisper.cpp tensors have 1 to 4)");
            if (nameLength < 1 || nameLength > MaxNameBytes) throw new ConfigurationException(path, $"{where}: name of {nameLength} bytes");
            long elements = 1;
            for (int d = 0; d < nDims; d++)
            {
                int ne = reader.Int32(where);
                if (ne < 1) throw new ConfigurationException(path, $"{where}: dimension {d} is {ne}");
                elements *= ne;
                if (elements > int.MaxValue) throw new ConfigurationException(path, $"{where}: more than 2^31 elements");
            }
            string name = Encoding.UTF8.GetString(reader.Bytes(nameLength, where));
            if (!GgmlTypeSize.TryGet(type, out int block, out int bytesPerBlock))
                break; // a type this check does not know the size of: leave the rest to whisper.cpp, which checks sizes itself
            if (elements % block != 0) throw new ConfigurationException(path, $"tensor '{name}': {elements} elements are not whole blocks of {block}");
            reader.Skip(elements / block * bytesPerBlock, $"tensor '{name}'");
            tensors++;
        }
        if (tensors == 0) throw new ConfigurationException(path, "the ggml model holds no tensors");
        return new GgmlWhisperModelInfo(path, hp, tensors);
    }

    static void CheckHParams(string path, GgmlWhisperHParams hp)
    {
        var v = hp.ToArray();
        string[] names = ["n_vocab", "n_audio_ctx", "n_audio_state", "n_audio_head", "n_audio_layer", "n_text_ctx", "n_text_state", "n_text_head", "n_text_layer", "n_mels"];
        for (int i = 0; i < names.Length; i++)
            if (v[i] <= 0 || v[i] > 1_000_000)
                throw new ConfigurationException(path, $"implausible hyper-parameter {names[i]} = {v[i]} (not a whisper ggml model?)");
        if (hp.NAudioState != hp.NTextState)
            throw new ConfigurationException(path, $"n_audio_state {hp.NAudioState} differs from n_text_state {hp.NTextState}");
        if (hp.NAudioState % hp.NAudioHead != 0 || hp.NTextState % hp.NTextHead != 0)
            throw new ConfigurationException(path, "the state width is not a multiple of the head count");
        if (hp.FType < 0) throw new ConfigurationException(path, $"negative ftype {hp.FType}");
    }

    sealed class Reader(FileStream stream, string path)
    {
        readonly byte[] _buffer = new byte[8];

        public int Int32(string what) => BitConverter.ToInt32(Bytes(4, what, _buffer));
        public uint UInt32(string what) => BitConverter.ToUInt32(Bytes(4, what, _buffer));

        public byte[] Bytes(int count, string what, byte[]? into = null)
        {
            var buffer = into ?? new byte[count];
            if (stream.Length - stream.Position < count) throw Truncated(what);
            stream.ReadExactly(buffer, 0, count);
            return buffer;
        }

        public void Skip(long count, string what)
        {
            if (count < 0 || stream.Length - stream.Position < count) throw Truncated(what);
            stream.Seek(count, SeekOrigin.Current);
        }

        ConfigurationException Truncated(string what) =>
            new(path, $"truncated whisper ggml model: the file ends inside {what} (offset {stream.Position} of {stream.Length})");
    }
}

/// <summary>What <see cref="GgmlWhisperModelFile.Validate"/> found.</summary>
public sealed record GgmlWhisperModelInfo(string Path, GgmlWhisperHParams HParams, int TensorCount);

/// <summary>Storage sizes of the ggml tensor types a whisper model uses (block of elements, bytes per block).</summary>
static class GgmlTypeSize
{
    public static bool TryGet(int type, out int block, out int bytes)
    {
        (block, bytes) = type switch
        {
            0 => (1, 4),      // F32
            1 => (1, 2),      // F16
            2 => (32, 18),    // Q4_0
            3 => (32, 20),    // Q4_1
            6 => (32, 22),    // Q5_0
            7 => (32, 24),    // Q5_1
            8 => (32, 34),    // Q8_0
            10 => (256, 84),  // Q2_K
            11 => (256, 110), // Q3_K
            12 => (256, 144), // Q4_K
            13 => (256, 176), // Q5_K
            14 => (256, 210), // Q6_K
            30 => (1, 2),     // BF16
            _ => (0, 0),
        };
        return block > 0;
    }
}
