using F5Parity.Errors;

namespace F5Parity.Tests.BadInput;

/// <summary>
/// A temporary folder where one bad-input test class writes its generated files; deleted afterwards. Also the one
/// assertion every catalogue case ends in: a typed <see cref="F5ParityInputException"/> that names the file and says
/// what is wrong.
/// </summary>
public sealed class BadInputFolder : IDisposable
{
    public BadInputFolder() => Path = Directory.CreateTempSubdirectory("f5parity-badinput-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="bytes"/> to a new file in the folder and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        var p = File(name);
        System.IO.File.WriteAllBytes(p, bytes);
        return p;
    }

    public void Dispose()
    {
        try
        {
            foreach (var d in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories))
                System.IO.File.SetUnixFileMode(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Runs <paramref name="act"/>, requires a <typeparamref name="T"/> whose message starts with <paramref name="source"/> and whose fault matches <paramref name="faultPattern"/>.</summary>
    public static T ExpectFault<T>(Action act, string source, string faultPattern) where T : F5ParityInputException
    {
        var e = FluentActions.Invoking(act).Should().Throw<T>().Which;
        e.Source.Should().Be(source);
        e.Message.Should().StartWith(source);
        e.Fault.Should().MatchRegex("(?i)" + faultPattern);
        return e;
    }
}
