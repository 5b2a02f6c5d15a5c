using System.IO.Compression;
using System.Text;
using F5Parity.Checkpoints;
using F5Parity.Errors;
using F5Parity.Tests.TestUtilities;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace F5Parity.Tests.BadInput;

/// <summary>
/// Checkpoints a user may point the suite at by mistake or after a broken copy: each one ends in a
/// <see cref="CheckpointFormatException"/> naming the file and the fault (or, for non-finite weights, the
/// <see cref="TensorHealth"/> diagnostic naming the tensor). Bad files are derived from the v0 reference case.
/// </summary>
public sealed class CheckpointBadInputTests : IClassFixture<BadInputFolder>
{
    readonly BadInputFolder _dir;
    static ReferenceCase Case => ReferenceSet.Golden.Case("v0");

    public CheckpointBadInputTests(BadInputFolder dir) => _dir = dir;

    static Action Read(string path) => () => TrainerCheckpoint.Read(path).Dispose();

    [Fact]
    public void Missing_file()
    {
        var p = _dir.File("absent.pt");
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "not found");
    }

    [Fact]
    public void Empty_pt()
    {
        var p = _dir.Write("empty.pt", []);
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "empty file");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    [InlineData(0.01)]
    public void Truncated_pt_zip(double keep)
    {
        var good = File.ReadAllBytes(Case.TrainerCheckpointPath);
        var p = _dir.Write($"truncated-{keep}.pt", good[..(int)(good.Length * keep)]);
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "corrupt or truncated");
    }

    [Fact]
    public void Corrupt_pickle_inside_the_zip()
    {
        // Overwrite the data.pkl entry's bytes in place (the zip directory stays valid, the CRC does not).
        var bytes = File.ReadAllBytes(Case.TrainerCheckpointPath);
        long start, length;
        using (var zip = ZipFile.OpenRead(Case.TrainerCheckpointPath))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal));
            length = entry.CompressedLength;
            start = LocalDataOffset(bytes, entry.FullName);
        }
        for (long i = start + 2; i < start + length; i += 7) bytes[i] = 0xFF;
        var p = _dir.Write("corrupt-pickle.pt", bytes);
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "corrupt|unpickled|not support");
    }

    [Fact]
    public void Corrupt_weights_inside_the_zip()
    {
        // Flip bytes inside the largest tensor storage: the zip directory and data.pkl stay valid, the entry's CRC-32 does not.
        var bytes = File.ReadAllBytes(Case.TrainerCheckpointPath);
        long start, length;
        using (var zip = ZipFile.OpenRead(Case.TrainerCheckpointPath))
        {
            var entry = zip.Entries.Where(e => e.FullName.Contains("/data/", StringComparison.Ordinal)).MaxBy(e => e.Length)!;
            length = entry.CompressedLength;
            start = LocalDataOffset(bytes, entry.FullName);
        }
        for (long i = start; i < start + Math.Min(length, 64); i += 4) bytes[i] ^= 0x5A;
        var p = _dir.Write("corrupt-weights.pt", bytes);
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, @"zip entry .*/data/\d+. fails its CRC-32 check .*corrupt");
    }

    [Fact]
    public void Legacy_non_zip_pt()
    {
        // torch.save(..., _use_new_zipfile_serialization=False) starts with a pickled magic number (protocol 2).
        var p = _dir.Write("legacy.pt", [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]);
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "legacy \\(non-zip\\)");
    }

    [Fact]
    public void Pickled_whole_module()
    {
        // torch.save(model) pickles the class by reference: GLOBAL f5_tts.model.cfm CFM, NEWOBJ, BUILD with its __dict__.
        var pkl = new List<byte> { 0x80, 0x02, (byte)'c' };
        pkl.AddRange("f5_tts.model.cfm\nCFM\n"u8.ToArray());
        pkl.AddRange([(byte)')', 0x81, (byte)'}', (byte)'X']);
        pkl.AddRange(BitConverter.GetBytes(8));
        pkl.AddRange("training"u8.ToArray());
        pkl.AddRange([0x88, (byte)'s', (byte)'b', (byte)'.']);
        var p = _dir.File("whole-module.pt");
        using (var zip = ZipFile.Open(p, ZipArchiveMode.Create))
        {
            Entry(zip, "archive/data.pkl", [.. pkl]);
            Entry(zip, "archive/version", "3\n"u8.ToArray());
        }
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "a whole module saved with torch.save\\(model\\) is not supported; save its state_dict\\(\\) instead");
    }

    [Fact]
    public void Zip_that_is_not_a_torch_file()
    {
        var p = _dir.File("plain.pt");
        using (var zip = ZipFile.Open(p, ZipArchiveMode.Create)) Entry(zip, "readme.txt", "hello"u8.ToArray());
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "without a data.pkl");
    }

    [Fact]
    public void Text_file_named_pt()
    {
        var p = _dir.Write("notes.pt", Encoding.UTF8.GetBytes("model_1000.pt is on the other disk\n"));
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "unknown magic");
    }

    [Fact]
    public void Safetensors_header_length_beyond_the_file()
    {
        var p = _dir.Write("huge-header.safetensors", [.. BitConverter.GetBytes(1_000_000L), .. "{}"u8]);
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "header length 1000000 exceeds");
    }

    [Fact]
    public void Safetensors_header_not_json()
    {
        var json = "{\"a\": [1, 2"u8.ToArray();
        var p = _dir.Write("bad-json.safetensors", [.. BitConverter.GetBytes((long)json.Length), .. json]);
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "not valid JSON");
    }

    [Fact]
    public void Safetensors_offsets_outside_the_data()
    {
        var p = _dir.Write("offsets.safetensors", Header("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", dataBytes: 8));
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "'w' has data offsets \\[0, 16\\] outside the 8-byte");
    }

    [Fact]
    public void Safetensors_offsets_not_matching_the_shape()
    {
        var p = _dir.Write("span.safetensors", Header("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", dataBytes: 16));
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "'w' \\(F32 \\[3\\]\\) needs 12 bytes but its offsets span 16");
    }

    [Fact]
    public void Safetensors_entry_without_dtype()
    {
        var p = _dir.Write("no-dtype.safetensors", Header("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", dataBytes: 8));
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "'w' has a malformed header entry");
    }

    [Fact]
    public void Safetensors_unsupported_dtype()
    {
        var p = _dir.Write("f8.safetensors", Header("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", dataBytes: 2));
        BadInputFolder.ExpectFault<CheckpointFormatException>(Read(p), p, "unsupported dtype 'F8_E4M3'");
    }

    [Fact]
    public void Missing_key()
    {
        var p = EditedRelease("missing-key.safetensors", sd => sd.Remove("ema_model.transformer.proj_out.bias"));
        BadInputFolder.ExpectFault<CheckpointFormatException>(() => ModelLoader.Load(Case.Config, p).Dispose(), p,
            @"missing key\(s\) \[transformer\.proj_out\.bias\]");
    }

    [Fact]
    public void Unexpected_key()
    {
        var p = EditedRelease("unexpected-key.safetensors", sd => sd["ema_model.transformer.extra_head.weight"] = zeros(2, 2));
        BadInputFolder.ExpectFault<CheckpointFormatException>(() => ModelLoader.Load(Case.Config, p).Dispose(), p,
            @"unexpected key\(s\) \[transformer\.extra_head\.weight\]");
    }

    [Fact]
    public void Mis_shaped_key()
    {
        var p = EditedRelease("misshaped.safetensors", sd =>
        {
            var w = sd["ema_model.transformer.proj_out.weight"];
            sd["ema_model.transformer.proj_out.weight"] = zeros(w.shape[0] + 1, w.shape[1]);
        });
        BadInputFolder.ExpectFault<CheckpointFormatException>(() => ModelLoader.Load(Case.Config, p).Dispose(), p,
            @"size mismatch for \[transformer\.proj_out\.weight \(checkpoint \[\d+, \d+\], model \[\d+, \d+\]\)\]");
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("inf")]
    public void Non_finite_weights_are_named(string kind)
    {
        const string key = "ema_model.transformer.transformer_blocks.0.attn.to_q.weight";
        float bad = kind == "nan" ? float.NaN : float.PositiveInfinity;
        var p = EditedRelease($"{kind}.safetensors", sd =>
        {
            var w = sd[key].clone();
            w[0, 0] = tensor(bad);
            w[1, 1] = tensor(bad);
            sd[key] = w;
        });
        using var ck = TrainerCheckpoint.Read(p);
        var found = TensorHealth.NonFinite(ck.EmaModelStateDict!);
        found.Should().ContainSingle().Which.Name.Should().Be(key);
        (kind == "nan" ? found[0].NaN : found[0].PositiveInfinity).Should().Be(2);
        BadInputFolder.ExpectFault<CheckpointFormatException>(() => TensorHealth.ThrowIfNonFinite(ck), p + " [ema_model_state_dict]",
            $@"1 tensor\(s\) hold non-finite weights.*{key.Replace(".", "\\.")} \(2 {(kind == "nan" ? "NaN" : "\\+inf")} of \d+\)");
    }

    [Fact]
    public void Healthy_checkpoint_has_no_non_finite_tensor()
    {
        using var ck = TrainerCheckpoint.Read(Case.TrainerCheckpointPath);
        TensorHealth.NonFinite(ck.ModelStateDict!).Should().BeEmpty();
        TensorHealth.NonFinite(ck.EmaModelStateDict!).Should().BeEmpty();
    }

    [Fact]
    public void Pt_without_ema_asked_for_ema()
    {
        // A plain state dict saved with torch.save(model.state_dict()): raw weights only, no ema_model_state_dict.
        using var trainer = TrainerCheckpoint.Read(Case.TrainerCheckpointPath);
        var p = _dir.File("raw-only.pt");
        using (var fs = File.Create(p))
            PyTorchPickler.PickleStateDict(fs, trainer.ModelStateDict!.ToDictionary(kv => kv.Key, kv => kv.Value));
        using (var ck = TrainerCheckpoint.Read(p)) ck.Layout.Should().Be(CheckpointLayout.FlatStateDict);
        BadInputFolder.ExpectFault<CheckpointFormatException>(() => ModelLoader.Load(Case.Config, p, useEma: true).Dispose(), p,
            "use_ema=True but the checkpoint has no 'ema_model_state_dict'");
        ModelLoader.Load(Case.Config, p, useEma: false).Dispose(); // the raw weights themselves are fine
    }

    [Fact]
    public void Ema_only_release_asked_for_raw_weights()
    {
        var p = Case.ReleaseCheckpointPath;
        BadInputFolder.ExpectFault<CheckpointFormatException>(() => ModelLoader.Load(Case.Config, p, useEma: false).Dispose(), p,
            @"missing key\(s\) \[.*transformer\.proj_out\.weight.*unexpected key\(s\) \[.*ema_model\.transformer\.proj_out\.weight");
    }

    string EditedRelease(string name, Action<Dictionary<string, Tensor>> edit)
    {
        var sd = SafetensorsFile.Load(Case.ReleaseCheckpointPath);
        edit(sd);
        var p = _dir.File(name);
        SafetensorsFile.Save(p, sd);
        foreach (var t in sd.Values) t.Dispose();
        return p;
    }

    static byte[] Header(string json, int dataBytes)
    {
        var j = Encoding.UTF8.GetBytes(json);
        return [.. BitConverter.GetBytes((long)j.Length), .. j, .. new byte[dataBytes]];
    }

    static void Entry(ZipArchive zip, string name, byte[] content)
    {
        using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        s.Write(content);
    }

    /// <summary>Where the stored bytes of <paramref name="name"/> start: after its local header (30 bytes + name + extra).</summary>
    static long LocalDataOffset(byte[] zip, string name)
    {
        var sig = "PK\u0003\u0004"u8;
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (int i = 0; i + 30 < zip.Length; i++)
        {
            if (!zip.AsSpan(i, 4).SequenceEqual(sig)) continue;
            int n = BitConverter.ToUInt16(zip, i + 26), x = BitConverter.ToUInt16(zip, i + 28);
            if (zip.AsSpan(i + 30, n).SequenceEqual(nameBytes)) return i + 30 + n + x;
        }
        throw new InvalidDataException($"local header of {name} not found");
    }
}
