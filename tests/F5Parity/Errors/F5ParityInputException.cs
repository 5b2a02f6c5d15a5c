namespace F5Parity.Errors;

/// <summary>
/// Base of every error F5Parity raises for bad user input: it always names the file (or setting) and the fault,
/// so a user can fix the input without reading a stack trace.
/// </summary>
public class F5ParityInputException : Exception
{
    public F5ParityInputException(string source, string fault, Exception? inner = null)
        : base($"{source}: {fault}", inner)
    {
        Source = source;
        Fault = fault;
    }

    /// <summary>The file path (or configuration key) that holds the bad input.</summary>
    public new string Source { get; }

    /// <summary>What is wrong with it, in one sentence.</summary>
    public string Fault { get; }
}
