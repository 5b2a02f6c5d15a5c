using F5Parity.Errors;
using F5Parity.Reports;

namespace F5Parity.Tests.BadInput;

/// <summary>Output folders: a user's file is never replaced unless asked; an unwritable folder is refused up front.</summary>
public sealed class OutputFolderBadInputTests : IClassFixture<BadInputFolder>
{
    readonly BadInputFolder _dir;
    public OutputFolderBadInputTests(BadInputFolder dir) => _dir = dir;

    [Fact]
    public void Existing_file_is_not_overwritten_without_being_asked()
    {
        var folder = Path.Combine(_dir.Path, "report-a");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "summary.md");
        File.WriteAllText(file, "the user's notes");

        var output = OutputFolder.Open(folder);
        BadInputFolder.ExpectFault<OutputFolderException>(() => output.WriteAllText("summary.md", "report"), file, "exists already; refusing to overwrite");
        File.ReadAllText(file).Should().Be("the user's notes");

        OutputFolder.Open(folder, overwrite: true).WriteAllText("summary.md", "report");
        File.ReadAllText(file).Should().Be("report", "overwrite was asked for");
    }

    [Fact]
    public void New_file_in_an_existing_folder_is_written()
    {
        var output = OutputFolder.Open(Path.Combine(_dir.Path, "report-b"));
        File.ReadAllText(output.WriteAllText("mel.txt", "ok")).Should().Be("ok");
        Directory.GetFiles(output.Path).Should().ContainSingle("the write probe leaves nothing behind");
    }

    [Fact]
    public void Folder_under_a_regular_file_is_refused()
    {
        // Works for every user, root included: no folder can be created below a file.
        var file = _dir.Write("not-a-folder", [1]);
        var target = Path.Combine(file, "out");
        BadInputFolder.ExpectFault<OutputFolderException>(() => OutputFolder.Open(target), target, "cannot be created");
        BadInputFolder.ExpectFault<OutputFolderException>(() => OutputFolder.Open(file), file, "is a file, not a folder");
    }

    [SkippableFact]
    public void Read_only_folder_is_refused()
    {
        var folder = Path.Combine(_dir.Path, "read-only");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        bool bites;
        try { File.WriteAllText(Path.Combine(folder, "probe"), ""); File.Delete(Path.Combine(folder, "probe")); bites = false; }
        catch (UnauthorizedAccessException) { bites = true; }
        Skip.IfNot(bites, $"running as uid {Environment.GetEnvironmentVariable("UID") ?? "0 (root)"}: mode 0555 does not stop this user's writes; the read-only case is covered by Folder_under_a_regular_file_is_refused");
        BadInputFolder.ExpectFault<OutputFolderException>(() => OutputFolder.Open(folder), folder, "is not writable");
    }
}
