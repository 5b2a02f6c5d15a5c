using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using F5Parity.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace F5Parity.Checkpoints;

/// <summary>
/// Reads and writes the .safetensors format (8-byte little-endian header length, JSON header, raw little-endian data)
/// as the Python <c>safetensors</c> package does. Every structural fault becomes a <see cref="CheckpointFormatException"/>
/// that names the file and the tensor, never a native crash.
/// </summary>
public static class SafetensorsFile
{
    const long MaxHeaderBytes = 100_000_000; // the Python package's own limit

    static readonly Dictionary<string, (ScalarType Type, int Size)> DTypes = new()
    {
        ["F64"] = (ScalarType.Float64, 8), ["F32"] = (ScalarType.Float32, 4), ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2), ["I64"] = (ScalarType.Int64, 8), ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2), ["I8"] = (ScalarType.Int8, 1), ["U8"] = (ScalarType.Byte, 1),
        ["BOOL"] = (ScalarType.Bool, 1),
    };

    /// <summary>One tensor entry of the header.</summary>
    public sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End);

    /// <summary>The parsed header: entries in file order plus the optional <c>__metadata__</c> strings.</summary>
    public sealed record Header(IReadOnlyList<Entry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart);

    /// <summary>Parses and validates the header without reading tensor data.</summary>
    public static Header ReadHeader(string path)
    {
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "file not found");
        using var fs = File.OpenRead(path);
        return ReadHeader(path, fs);
    }

    static Header ReadHeader(string path, FileStream fs)
    {
        long fileLength = fs.Length;
        if (fileLength < 8) throw new CheckpointFormatException(path, $"not a safetensors file: {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> lenBytes = stackalloc byte[8];
        fs.ReadExactly(lenBytes);
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLen > MaxHeaderBytes || (long)headerLen > fileLength - 8)
            throw new CheckpointFormatException(path, $"not a safetensors file: header length {headerLen} exceeds the file ({fileLength} bytes) or the 100 MB limit");
        var json = new byte[headerLen];
        fs.ReadExactly(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new CheckpointFormatException(path, $"safetensors header is not valid JSON ({e.Message})", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException(path, "safetensors header is not a JSON object");
            long dataStart = 8 + (long)headerLen, dataLength = fileLength - dataStart;
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject()) metadata[m.Name] = m.Value.ToString();
                    continue;
                }
                try
                {
                    string dtype = prop.Value.GetProperty("dtype").GetString()!;
                    long[] shape = prop.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                    long[] offsets = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                    if (!DTypes.TryGetValue(dtype, out var dt))
                        throw new CheckpointFormatException(path, $"tensor '{prop.Name}' has unsupported dtype '{dtype}'");
                    if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                        throw new CheckpointFormatException(path, $"tensor '{prop.Name}' has data offsets [{string.Join(", ", offsets)}] outside the {dataLength}-byte data section");
                    if (shape.Any(d => d < 0)) throw new CheckpointFormatException(path, $"tensor '{prop.Name}' has a negative dimension");
                    long numel = shape.Aggregate(1L, (a, b) => a * b);
                    if (numel * dt.Size != offsets[1] - offsets[0])
                        throw new CheckpointFormatException(path, $"tensor '{prop.Name}' ({dtype} {Describe(shape)}) needs {numel * dt.Size} bytes but its offsets span {offsets[1] - offsets[0]}");
                    entries.Add(new Entry(prop.Name, dtype, shape, offsets[0], offsets[1]));
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    throw new CheckpointFormatException(path, $"tensor '{prop.Name}' has a malformed header entry ({e.Message})", e);
                }
            }
            return new Header(entries, metadata, dataStart);
        }
    }

    /// <summary>Loads every tensor (on the CPU, in its stored dtype), keyed by name.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    /// <summary>Loads every tensor and returns the header metadata too.</summary>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "file not found");
        using var fs = File.OpenRead(path);
        var header = ReadHeader(path, fs);
        metadata = header.Metadata;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var e in header.Entries.OrderBy(e => e.Begin))
        {
            var (type, _) = DTypes[e.DType];
            // Read straight into the tensor's own storage: one copy of the weights in memory, not two.
            var t = empty(e.Shape, type);
            try
            {
                fs.Position = header.DataStart + e.Begin;
                if (e.End > e.Begin) fs.ReadExactly(t.bytes);
            }
            catch (Exception ex) when (ex is IOException)
            {
                t.Dispose();
                foreach (var loaded in result.Values) loaded.Dispose();
                throw new CheckpointFormatException(path, $"tensor '{e.Name}' could not be read ({ex.Message})", ex);
            }
            result[e.Name] = t;
        }
        return result;
    }

    /// <summary>
    /// Reads entries straight into existing CPU tensors (<paramref name="targets"/>: entry name → tensor of the same
    /// shape): bytes go into the tensor's storage when the dtypes match, through one temporary tensor otherwise. With
    /// this a model's weights are read without a second full copy of the checkpoint in memory.
    /// </summary>
    public static void ReadInto(string path, Header header, IReadOnlyDictionary<string, Tensor> targets)
    {
        using var fs = File.OpenRead(path);
        using var noGrad = no_grad();
        foreach (var e in header.Entries.Where(e => targets.ContainsKey(e.Name)).OrderBy(e => e.Begin))
        {
            var target = targets[e.Name];
            var (type, _) = DTypes[e.DType];
            try
            {
                fs.Position = header.DataStart + e.Begin;
                if (e.End == e.Begin) continue;
                if (target.dtype == type && target.device_type == DeviceType.CPU && target.is_contiguous())
                    fs.ReadExactly(target.bytes);
                else
                {
                    using var tmp = empty(e.Shape, type);
                    fs.ReadExactly(tmp.bytes);
                    target.copy_(tmp);
                }
            }
            catch (IOException ex)
            {
                throw new CheckpointFormatException(path, $"tensor '{e.Name}' could not be read ({ex.Message})", ex);
            }
        }
    }

    /// <summary>
    /// Writes tensors in the standard layout (names sorted, data in that order, header padded with spaces to 8 bytes),
    /// refusing to replace an existing file unless <paramref name="overwrite"/> is set.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, bool overwrite = false)
    {
        if (File.Exists(path) && !overwrite)
            throw new IOException($"{path}: exists already; refusing to overwrite it");
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var blobs = new List<byte[]>();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var name in names)
        {
            using var c = tensors[name].detach().cpu().contiguous();
            string dtype = DTypes.First(kv => kv.Value.Type == c.dtype).Key;
            var bytes = c.bytes.ToArray();
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = dtype, ["shape"] = c.shape, ["data_offsets"] = new[] { offset, offset + bytes.Length },
            };
            offset += bytes.Length;
            blobs.Add(bytes);
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8;
        var headerBytes = new byte[padded];
        Array.Fill(headerBytes, (byte)' ');
        json.CopyTo(headerBytes, 0);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var fs = File.Create(path);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
        fs.Write(len);
        fs.Write(headerBytes);
        foreach (var b in blobs) fs.Write(b);
    }

    static string Describe(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
