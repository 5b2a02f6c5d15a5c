using System.IO.Compression;
using System.Runtime.InteropServices;
using F5Parity.Errors;

namespace F5Parity.Checkpoints;

/// <summary>
/// CRC-32 check of every entry of a torch.save zip. torch stores tensors uncompressed, and neither .NET's
/// <see cref="ZipArchive"/> nor TorchSharp.PyBridge verifies the CRC when reading such an entry, so flipped bytes in
/// a weight storage would load silently as different weights. The CRC is computed by the runtime's own zlib-ng
/// (<c>CompressionNative_Crc32</c> in System.IO.Compression.Native, SIMD-accelerated), several GB/s.
/// </summary>
internal static class ZipIntegrity
{
    [DllImport("libSystem.IO.Compression.Native", EntryPoint = "CompressionNative_Crc32")]
    static extern unsafe uint Crc32(uint crc, byte* buffer, int length);

    /// <summary>Throws a <see cref="CheckpointFormatException"/> naming the first entry whose data does not match its CRC-32.</summary>
    public static unsafe void Verify(string path, ZipArchive zip)
    {
        var buffer = new byte[4 << 20];
        fixed (byte* p = buffer)
            foreach (var entry in zip.Entries)
            {
                uint crc = 0;
                long total = 0;
                using (var s = entry.Open())
                {
                    int n;
                    while ((n = s.Read(buffer, 0, buffer.Length)) > 0) { crc = Crc32(crc, p, n); total += n; }
                }
                if (total != entry.Length)
                    throw new CheckpointFormatException(path, $"zip entry '{entry.FullName}' holds {total} bytes but declares {entry.Length}: the file is truncated or corrupt");
                if (crc != entry.Crc32)
                    throw new CheckpointFormatException(path,
                        $"zip entry '{entry.FullName}' fails its CRC-32 check (stored 0x{entry.Crc32:x8}, computed 0x{crc:x8}): the file is corrupt (a broken copy or a bad disk)");
            }
    }
}
