namespace F5Parity.Errors;

/// <summary>Text (reference or generation text) that the front end cannot turn into tokens faithfully.</summary>
public sealed class TextInputException(string source, string fault, Exception? inner = null)
    : F5ParityInputException(source, fault, inner);
