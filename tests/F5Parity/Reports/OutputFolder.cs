using F5Parity.Errors;

namespace F5Parity.Reports;

/// <summary>
/// Where a report writes its files. A user's file is never replaced unless <see cref="Overwrite"/> was asked for;
/// a folder that cannot be written (read-only, a path through a regular file, no permission) is refused up front
/// with an <see cref="OutputFolderException"/> instead of failing half-way through a report.
/// </summary>
public sealed class OutputFolder
{
    OutputFolder(string path, bool overwrite) { Path = path; Overwrite = overwrite; }

    /// <summary>The folder (absolute).</summary>
    public string Path { get; }

    /// <summary>Whether existing files may be replaced.</summary>
    public bool Overwrite { get; }

    /// <summary>
    /// Creates the folder if needed and proves it is writable by creating and deleting a probe file.
    /// </summary>
    /// <exception cref="OutputFolderException">the path is a file or lies under one, or the folder cannot be written.</exception>
    public static OutputFolder Open(string path, bool overwrite = false)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full)) throw new OutputFolderException(full, "is a file, not a folder");
        try { Directory.CreateDirectory(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(full, $"cannot be created ({Describe(e)})", e);
        }
        string probe = System.IO.Path.Combine(full, $".f5parity-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write)) { }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(full, $"is not writable ({Describe(e)})", e);
        }
        return new OutputFolder(full, overwrite);
    }

    /// <summary>
    /// The path of <paramref name="fileName"/> in this folder, ready to be written: refused when the file exists and
    /// overwriting was not asked for.
    /// </summary>
    public string FileFor(string fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName) || fileName.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0
            || fileName is "." or "..")
            throw new OutputFolderException(System.IO.Path.Combine(Path, fileName), "is not a plain file name");
        string file = System.IO.Path.Combine(Path, fileName);
        if (Directory.Exists(file)) throw new OutputFolderException(file, "is a folder; refusing to replace it with a file");
        if (File.Exists(file) && !Overwrite)
            throw new OutputFolderException(file, "exists already; refusing to overwrite it (ask for overwrite to replace it)");
        return file;
    }

    /// <summary>Opens <paramref name="fileName"/> for writing under the same rule as <see cref="FileFor"/>.</summary>
    public FileStream Create(string fileName)
    {
        string file = FileFor(fileName);
        try { return new FileStream(file, Overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(file, $"cannot be written ({Describe(e)})", e);
        }
    }

    /// <summary>Writes a text file under the same rule as <see cref="FileFor"/>.</summary>
    public string WriteAllText(string fileName, string text)
    {
        using var fs = Create(fileName);
        using var w = new StreamWriter(fs);
        w.Write(text);
        return fs.Name;
    }

    static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
