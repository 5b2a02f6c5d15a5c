namespace F5Parity.Bench;

/// <summary>The process's resident set size, read from /proc/self/status (VmRSS, VmHWM).</summary>
public static class Rss
{
    /// <summary>Current resident set, in bytes (0 where /proc is not available).</summary>
    public static long Current() => Read("VmRSS:");

    /// <summary>Peak resident set so far, in bytes.</summary>
    public static long Peak() => Read("VmHWM:");

    static long Read(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return 0;
        foreach (var line in File.ReadLines(status))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
        return 0;
    }
}
