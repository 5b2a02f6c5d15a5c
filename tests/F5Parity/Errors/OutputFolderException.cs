namespace F5Parity.Errors;

/// <summary>An output folder (or a file in it) that cannot be written without harm: it exists already, is read-only, or is not a folder.</summary>
public sealed class OutputFolderException(string path, string fault, Exception? inner = null)
    : F5ParityInputException(path, fault, inner);
